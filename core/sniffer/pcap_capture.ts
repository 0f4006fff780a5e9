import type { Libc, Libpcap } from "./libpcap.ts";

/** Kernel counters of one capture (pcap_stats). */
export interface CaptureCounters {
  /** Packets the filter accepted. */
  received: number;
  /** Dropped because the capture buffer was full (the reader was too slow). */
  dropped: number;
  /** Dropped by the interface or its driver. */
  ifDropped: number;
}

/** One captured frame: link-layer bytes (copied) and when the kernel saw it. */
export interface CapturedFrame {
  bytes: Uint8Array;
  /** Milliseconds since the epoch. */
  at: number;
}

/**
 * A live capture on one interface: what the capture loop needs, so the
 * loop is testable with a fake.
 */
export interface FrameSource {
  readonly interface: string;
  /** DLT_* link type of the frames (1: Ethernet). */
  readonly linkType: number;
  /** A file descriptor that polls readable when frames wait. */
  readonly fd: number;
  /** Replaces the kernel filter (BPF, pcap syntax). */
  setFilter(expression: string): void;
  /** Up to `max` frames waiting now (never blocks). */
  read(max: number): CapturedFrame[];
  counters(): CaptureCounters;
  close(): void;
}

/** Options for {@linkcode PcapCapture.open}. */
export interface PcapOpenOptions {
  /** Bytes kept of each frame. @default 128 (Ethernet + IPv4 + TCP with 40 bytes of options fit) */
  snaplen?: number;
  /** Kernel buffer. @default 4 MiB */
  bufferBytes?: number;
  /**
   * Promiscuous mode. A Linux bridge passes frames it forwards between its
   * ports up to its own device only when promiscuous, so a bridge needs it;
   * a macvlan parent already receives its children's frames. @default false
   */
  promiscuous?: boolean;
}

/** The libraries a capture calls. */
export interface CaptureLibs {
  pcap: Libpcap;
  libc: Libc;
}

const encoder = new TextEncoder();
/** PCAP_ERRBUF_SIZE. */
const ERRBUF_BYTES = 256;
/** PCAP_NETMASK_UNKNOWN: the filters used here never need the netmask. */
const NETMASK_UNKNOWN = 0xffffffff;

function cString(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(`${text}\0`);
}

function readCString(buffer: Uint8Array): string {
  const end = buffer.indexOf(0);
  return new TextDecoder().decode(buffer.subarray(0, end < 0 ? buffer.length : end));
}

/**
 * A libpcap capture over FFI: opened live (immediate mode, non-blocking), read with pcap_next_ex, counters from pcap_stats.
 *
 * @example
 * ```ts
 * import { openCaptureLibraries } from "./libpcap.ts";
 * import { PcapCapture } from "./pcap_capture.ts";
 * using libs = openCaptureLibraries("/usr/lib/x86_64-linux-gnu/libpcap.so.0.8", "/usr/lib/x86_64-linux-gnu/libc.so.6");
 * const capture = PcapCapture.open(libs, "br-decoys");
 * capture.setFilter("tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn and dst host 192.0.2.10");
 * for (const frame of capture.read(64)) console.log(frame.bytes.length);
 * capture.close();
 * ```
 */
export class PcapCapture implements FrameSource {
  readonly interface: string;
  readonly linkType: number;
  readonly fd: number;
  readonly #pcap: Libpcap;
  readonly #libc: Libc;
  #handle: Deno.PointerObject | null;
  /** Out-parameters of pcap_next_ex: two pointers. */
  readonly #headerOut = new BigUint64Array(1);
  readonly #dataOut = new BigUint64Array(1);
  readonly #stat = new Uint32Array(3);
  /** struct pcap_pkthdr { struct timeval ts; bpf_u_int32 caplen; bpf_u_int32 len; } */
  readonly #header = new DataView(new ArrayBuffer(24));

  private constructor(libs: CaptureLibs, iface: string, handle: Deno.PointerObject) {
    const pcap = libs.pcap;
    this.#pcap = pcap;
    this.#libc = libs.libc;
    this.interface = iface;
    this.#handle = handle;
    this.linkType = pcap.pcap_datalink(handle);
    this.fd = pcap.pcap_get_selectable_fd(handle);
  }

  /**
   * Opens `iface` for capture.
   *
   * @throws {Error} naming the interface and libpcap's reason (no such device, no CAP_NET_RAW)
   */
  static open(libs: CaptureLibs, iface: string, options: PcapOpenOptions = {}): PcapCapture {
    const { pcap, libc } = libs;
    const errbuf = new Uint8Array(ERRBUF_BYTES);
    const handle = pcap.pcap_create(cString(iface), errbuf);
    if (handle === null) {
      throw new Error(`Cannot capture on interface "${iface}": ${readCString(errbuf)}`);
    }
    try {
      pcap.pcap_set_snaplen(handle, options.snaplen ?? 128);
      pcap.pcap_set_promisc(handle, options.promiscuous ? 1 : 0);
      pcap.pcap_set_immediate_mode(handle, 1);
      pcap.pcap_set_buffer_size(handle, options.bufferBytes ?? 4 * 1024 ** 2);
      const status = pcap.pcap_activate(handle);
      // Positive values are warnings (e.g. promiscuous mode not supported): the capture works.
      if (status < 0) throw new Error(errorOf(libs, handle));
      if (pcap.pcap_setnonblock(handle, 1, errbuf) < 0) throw new Error(readCString(errbuf));
    } catch (e) {
      pcap.pcap_close(handle);
      throw new Error(`Cannot capture on interface "${iface}": ${(e as Error).message}`, {
        cause: e,
      });
    }
    return new PcapCapture({ pcap, libc }, iface, handle);
  }

  /** @throws {SyntaxError} when libpcap cannot compile `expression` */
  setFilter(expression: string): void {
    const handle = this.#open();
    // struct bpf_program { u_int bf_len; struct bpf_insn *bf_insns; }: 16 bytes on 64-bit.
    const program = new Uint8Array(16);
    if (this.#pcap.pcap_compile(handle, program, cString(expression), 1, NETMASK_UNKNOWN) < 0) {
      throw new SyntaxError(
        `Cannot compile capture filter on "${this.interface}": ${
          errorOf({ pcap: this.#pcap, libc: this.#libc }, handle)
        }, got "${expression}"`,
      );
    }
    try {
      if (this.#pcap.pcap_setfilter(handle, program) < 0) {
        throw new Error(
          `Cannot set capture filter on "${this.interface}": ${
            errorOf({ pcap: this.#pcap, libc: this.#libc }, handle)
          }`,
        );
      }
    } finally {
      this.#pcap.pcap_freecode(program);
    }
  }

  read(max: number): CapturedFrame[] {
    const handle = this.#open();
    const frames: CapturedFrame[] = [];
    while (frames.length < max) {
      const got = this.#pcap.pcap_next_ex(
        handle,
        new Uint8Array(this.#headerOut.buffer),
        new Uint8Array(this.#dataOut.buffer),
      );
      if (got === 0) break;
      if (got < 0) {
        throw new Error(
          `Cannot read capture on "${this.interface}": ${
            errorOf({ pcap: this.#pcap, libc: this.#libc }, handle)
          }`,
        );
      }
      const header = this.#header;
      this.#libc.memcpy(new Uint8Array(header.buffer), this.#headerOut[0], 24n);
      const at = Number(header.getBigInt64(0, true)) * 1000 +
        Math.floor(Number(header.getBigInt64(8, true)) / 1000);
      const caplen = header.getUint32(16, true);
      const bytes = new Uint8Array(caplen);
      if (caplen > 0) this.#libc.memcpy(bytes, this.#dataOut[0], BigInt(caplen));
      frames.push({ bytes, at });
    }
    return frames;
  }

  /**
   * Sends `frame` (link-layer bytes) out of the interface.
   *
   * @throws {Error} with libpcap's reason when the interface refuses it
   */
  inject(frame: Uint8Array): void {
    const handle = this.#open();
    const copy = new Uint8Array(frame);
    if (this.#pcap.pcap_inject(handle, copy, BigInt(copy.length)) < 0) {
      throw new Error(
        `Cannot send on "${this.interface}": ${
          errorOf({ pcap: this.#pcap, libc: this.#libc }, handle)
        }`,
      );
    }
  }

  counters(): CaptureCounters {
    const handle = this.#open();
    if (this.#pcap.pcap_stats(handle, new Uint8Array(this.#stat.buffer)) < 0) {
      throw new Error(
        `Cannot read capture counters on "${this.interface}": ${
          errorOf({ pcap: this.#pcap, libc: this.#libc }, handle)
        }`,
      );
    }
    return { received: this.#stat[0], dropped: this.#stat[1], ifDropped: this.#stat[2] };
  }

  close(): void {
    if (this.#handle === null) return;
    this.#pcap.pcap_close(this.#handle);
    this.#handle = null;
  }

  #open(): Deno.PointerObject {
    if (this.#handle === null) throw new Error(`Capture on "${this.interface}" is closed`);
    return this.#handle;
  }
}

function errorOf(libs: CaptureLibs, handle: Deno.PointerObject): string {
  const address = libs.pcap.pcap_geterr(handle);
  if (address === 0n) return "unknown error";
  // pcap_geterr points at the handle's PCAP_ERRBUF_SIZE error buffer.
  const text = new Uint8Array(ERRBUF_BYTES);
  libs.libc.memcpy(text, address, BigInt(ERRBUF_BYTES));
  return readCString(text);
}
