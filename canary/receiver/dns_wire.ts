/**
 * DNS wire format (RFC 1035, RFC 6891): a pure parser and encoder. Names are
 * kept as arrays of labels holding their raw bytes as latin1 strings, so an
 * answer can repeat the question name byte for byte, letter case included.
 */

/** Record types this codec knows by name. */
export const DNS_TYPE = Object.freeze({
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  HINFO: 13,
  AAAA: 28,
  OPT: 41,
  IXFR: 251,
  AXFR: 252,
  ANY: 255,
});

/** Response codes (the low four bits; extended codes go in the OPT record). */
export const DNS_RCODE = Object.freeze({
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
});

/** Class IN. */
export const DNS_CLASS_IN = 1;

/** EDNS option code of Extended DNS Errors (RFC 8914). */
export const EDNS_EXTENDED_ERROR = 15;

/** EDNS option code of the Client Subnet option (RFC 7871). */
export const EDNS_CLIENT_SUBNET = 8;

/** Largest name on the wire, length bytes included (RFC 1035 §2.3.4). */
const MAX_NAME_WIRE = 255;
/** Compression pointers followed for one name before giving up. */
const MAX_POINTER_HOPS = 64;

/** A domain name: its labels, each the raw bytes of one label as a latin1 string. */
export type DnsName = readonly string[];

/** The fixed 12-byte header, without the section counts. */
export interface DnsHeader {
  id: number;
  /** true in responses. */
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  /** The reserved Z bit. */
  z: boolean;
  ad: boolean;
  cd: boolean;
  /** Low four bits of the response code. */
  rcode: number;
}

/** One entry of the question section. */
export interface DnsQuestion {
  name: DnsName;
  type: number;
  class: number;
}

/** Record data: names inside NS/CNAME/PTR/SOA are decompressed, anything else is raw. */
export type DnsRdata =
  | { kind: "raw"; bytes: Uint8Array }
  | { kind: "name"; name: DnsName }
  | {
    kind: "soa";
    mname: DnsName;
    rname: DnsName;
    serial: number;
    refresh: number;
    retry: number;
    expire: number;
    minimum: number;
  };

/** A resource record (never OPT: that one lives in {@linkcode DnsMessage.edns}). */
export interface DnsRecord {
  name: DnsName;
  type: number;
  class: number;
  ttl: number;
  rdata: DnsRdata;
}

/** One EDNS option. */
export interface EdnsOption {
  code: number;
  data: Uint8Array;
}

/** The EDNS0 OPT pseudo-record. */
export interface Edns {
  udpPayloadSize: number;
  /** Upper eight bits of the extended response code. */
  extendedRcode: number;
  version: number;
  dnssecOk: boolean;
  options: EdnsOption[];
}

/** A whole DNS message. */
export interface DnsMessage {
  header: DnsHeader;
  questions: DnsQuestion[];
  answers: DnsRecord[];
  authorities: DnsRecord[];
  additionals: DnsRecord[];
  edns: Edns | null;
}

/** The only error {@linkcode parseDnsMessage} throws: the bytes are not a DNS message. */
export class DnsParseError extends SyntaxError {
  /** The header, when the first 12 bytes could be read (so FORMERR can be answered). */
  readonly header: DnsHeader | null;

  constructor(message: string, header: DnsHeader | null = null) {
    super(message);
    this.name = "DnsParseError";
    this.header = header;
  }
}

/** Reads the 12-byte header, or returns null when the packet is shorter. */
export function parseDnsHeader(bytes: Uint8Array): DnsHeader | null {
  if (bytes.length < 12) return null;
  const flags = (bytes[2] << 8) | bytes[3];
  return {
    id: (bytes[0] << 8) | bytes[1],
    qr: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    aa: (flags & 0x0400) !== 0,
    tc: (flags & 0x0200) !== 0,
    rd: (flags & 0x0100) !== 0,
    ra: (flags & 0x0080) !== 0,
    z: (flags & 0x0040) !== 0,
    ad: (flags & 0x0020) !== 0,
    cd: (flags & 0x0010) !== 0,
    rcode: flags & 0xf,
  };
}

/**
 * Parses a DNS message. Compression pointers must point backwards (which rules
 * out loops) and at most 64 are followed per name; names longer than 255 bytes,
 * reserved label types, short reads and trailing bytes are rejected.
 *
 * @throws {DnsParseError} when the bytes are not a well-formed message
 * @example
 * ```ts
 * import { parseDnsMessage } from "./dns_wire.ts";
 * declare const packet: Uint8Array;
 * const query = parseDnsMessage(packet);
 * console.log(query.questions[0].type);
 * ```
 */
export function parseDnsMessage(bytes: Uint8Array): DnsMessage {
  const header = parseDnsHeader(bytes);
  if (header === null) {
    throw new DnsParseError(
      `Cannot parse DNS message: expected 12 header bytes, got ${bytes.length}`,
    );
  }
  const reader = new Reader(bytes, header);
  reader.pos = 12;
  const qd = reader.u16At(4);
  const an = reader.u16At(6);
  const ns = reader.u16At(8);
  const ar = reader.u16At(10);
  const questions: DnsQuestion[] = [];
  for (let i = 0; i < qd; i++) {
    const name = reader.name();
    questions.push({ name, type: reader.u16(), class: reader.u16() });
  }
  const answers = reader.records(an);
  const authorities = reader.records(ns);
  const rawAdditionals = reader.records(ar, true);
  if (reader.pos !== bytes.length) reader.fail("trailing bytes after the last record");
  let edns: Edns | null = null;
  const additionals: DnsRecord[] = [];
  for (const record of rawAdditionals) {
    if (record.type !== DNS_TYPE.OPT) {
      additionals.push(record);
      continue;
    }
    if (edns !== null) reader.fail("more than one OPT record");
    if (record.name.length !== 0) reader.fail("OPT record owner is not the root");
    edns = parseOpt(record, reader);
  }
  return { header, questions, answers, authorities, additionals, edns };
}

function parseOpt(record: DnsRecord, reader: Reader): Edns {
  const data = record.rdata.kind === "raw" ? record.rdata.bytes : new Uint8Array();
  const options: EdnsOption[] = [];
  let pos = 0;
  while (pos < data.length) {
    if (pos + 4 > data.length) reader.fail("truncated EDNS option");
    const code = (data[pos] << 8) | data[pos + 1];
    const len = (data[pos + 2] << 8) | data[pos + 3];
    pos += 4;
    if (pos + len > data.length) reader.fail("truncated EDNS option data");
    options.push({ code, data: data.slice(pos, pos + len) });
    pos += len;
  }
  return {
    udpPayloadSize: record.class,
    extendedRcode: (record.ttl >>> 24) & 0xff,
    version: (record.ttl >>> 16) & 0xff,
    dnssecOk: (record.ttl & 0x8000) !== 0,
    options,
  };
}

class Reader {
  pos = 0;
  readonly #bytes: Uint8Array;
  readonly #header: DnsHeader;

  constructor(bytes: Uint8Array, header: DnsHeader) {
    this.#bytes = bytes;
    this.#header = header;
  }

  fail(detail: string): never {
    throw new DnsParseError(
      `Cannot parse DNS message: ${detail}, at byte ${this.pos}`,
      this.#header,
    );
  }

  u16At(at: number): number {
    return (this.#bytes[at] << 8) | this.#bytes[at + 1];
  }

  u16(): number {
    if (this.pos + 2 > this.#bytes.length) this.fail("message ends inside a field");
    const v = this.u16At(this.pos);
    this.pos += 2;
    return v;
  }

  u32(): number {
    if (this.pos + 4 > this.#bytes.length) this.fail("message ends inside a field");
    const b = this.#bytes;
    const p = this.pos;
    this.pos += 4;
    return ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
  }

  /** Reads a possibly compressed name; `limit` bounds where its first bytes may run. */
  name(limit = this.#bytes.length): DnsName {
    const b = this.#bytes;
    const labels: string[] = [];
    let pos = this.pos;
    let wire = 1;
    let hops = 0;
    let resume = -1;
    // Pointers must go strictly backwards: every hop lowers `floor`, so no loop.
    let floor = pos;
    for (;;) {
      if (pos >= limit) this.fail("name runs past its data");
      const len = b[pos];
      if (len === 0) {
        pos += 1;
        break;
      }
      const kind = len & 0xc0;
      if (kind === 0xc0) {
        if (pos + 2 > limit) this.fail("name ends inside a compression pointer");
        const target = ((len & 0x3f) << 8) | b[pos + 1];
        if (target >= floor) this.fail("compression pointer does not point backwards");
        if (++hops > MAX_POINTER_HOPS) this.fail("too many compression pointers");
        if (resume < 0) resume = pos + 2;
        floor = target;
        pos = target;
        // Earlier bytes belong to the message; the rdata limit only applies before the first hop.
        limit = b.length;
        continue;
      }
      if (kind !== 0) this.fail(`reserved label type 0x${kind.toString(16)}`);
      wire += len + 1;
      if (wire > MAX_NAME_WIRE) this.fail("name longer than 255 bytes");
      if (pos + 1 + len > limit) this.fail("label runs past the message");
      // A loop: spreading a subarray into fromCharCode iterated it through an object per byte
      // (4-6 µs and ~1.5 KB of garbage per name).
      let label = "";
      for (let i = pos + 1; i <= pos + len; i++) label += String.fromCharCode(b[i]);
      labels.push(label);
      pos += 1 + len;
    }
    this.pos = resume >= 0 ? resume : pos;
    return labels;
  }

  records(count: number, allowOpt = false): DnsRecord[] {
    const out: DnsRecord[] = [];
    for (let i = 0; i < count; i++) {
      const name = this.name();
      const type = this.u16();
      const klass = this.u16();
      const ttl = this.u32();
      const rdlength = this.u16();
      const end = this.pos + rdlength;
      if (end > this.#bytes.length) this.fail("record data runs past the message");
      if (type === DNS_TYPE.OPT && !allowOpt) {
        this.fail("OPT record outside the additional section");
      }
      out.push({ name, type, class: klass, ttl, rdata: this.rdata(type, end) });
      if (this.pos !== end) this.fail("record data length does not match its content");
    }
    return out;
  }

  rdata(type: number, end: number): DnsRdata {
    if (type === DNS_TYPE.NS || type === DNS_TYPE.CNAME || type === DNS_TYPE.PTR) {
      return { kind: "name", name: this.name(end) };
    }
    if (type === DNS_TYPE.SOA) {
      const mname = this.name(end);
      const rname = this.name(end);
      if (this.pos + 20 > end) this.fail("SOA record too short");
      return {
        kind: "soa",
        mname,
        rname,
        serial: this.u32(),
        refresh: this.u32(),
        retry: this.u32(),
        expire: this.u32(),
        minimum: this.u32(),
      };
    }
    const bytes = this.#bytes.slice(this.pos, end);
    this.pos = end;
    return { kind: "raw", bytes };
  }
}

/** Options for {@linkcode encodeDnsMessage}. */
export interface EncodeDnsOptions {
  /**
   * Largest message allowed (the transport's limit). A longer one is cut to
   * header, question and OPT with the TC bit set, so the client retries over TCP.
   * @default 65535
   */
  maxSize?: number;
}

/**
 * Encodes a message with name compression. Compression only reuses byte-identical
 * suffixes, so every name keeps the exact letter case it was given.
 *
 * @throws {RangeError} when a label or name is too long for the wire format
 * @example
 * ```ts
 * import { encodeDnsMessage } from "./dns_wire.ts";
 * declare const response: Parameters<typeof encodeDnsMessage>[0];
 * const bytes = encodeDnsMessage(response, { maxSize: 512 });
 * ```
 */
export function encodeDnsMessage(message: DnsMessage, options: EncodeDnsOptions = {}): Uint8Array {
  const maxSize = options.maxSize ?? 65535;
  const full = encodeSections(message, false);
  if (full.length <= maxSize) return full;
  return encodeSections(message, true);
}

function encodeSections(message: DnsMessage, truncated: boolean): Uint8Array {
  const w = writer.reset();
  const h = message.header;
  const answers = truncated ? [] : message.answers;
  const authorities = truncated ? [] : message.authorities;
  const additionals = truncated ? [] : message.additionals;
  const arCount = additionals.length + (message.edns ? 1 : 0);
  const flags = (h.qr ? 0x8000 : 0) | ((h.opcode & 0xf) << 11) | (h.aa ? 0x0400 : 0) |
    (h.tc || truncated ? 0x0200 : 0) | (h.rd ? 0x0100 : 0) | (h.ra ? 0x0080 : 0) |
    (h.z ? 0x0040 : 0) | (h.ad ? 0x0020 : 0) | (h.cd ? 0x0010 : 0) | (h.rcode & 0xf);
  w.u16(h.id);
  w.u16(flags);
  w.u16(message.questions.length);
  w.u16(answers.length);
  w.u16(authorities.length);
  w.u16(arCount);
  for (const q of message.questions) {
    w.name(q.name);
    w.u16(q.type);
    w.u16(q.class);
  }
  for (const r of answers) w.record(r);
  for (const r of authorities) w.record(r);
  for (const r of additionals) w.record(r);
  if (message.edns) {
    const e = message.edns;
    w.u8(0);
    w.u16(DNS_TYPE.OPT);
    w.u16(e.udpPayloadSize);
    w.u32(
      ((e.extendedRcode & 0xff) << 24 | (e.version & 0xff) << 16 | (e.dnssecOk ? 0x8000 : 0)) >>> 0,
    );
    let len = 0;
    for (const o of e.options) len += 4 + o.data.length;
    w.u16(len);
    for (const o of e.options) {
      w.u16(o.code);
      w.u16(o.data.length);
      w.bytes(o.data);
    }
  }
  return w.finish();
}

/**
 * Encodes into one buffer (and compression table) reused for every message
 * before its bytes are copied out: encoding is synchronous, so one writer is
 * enough, and a query's answer then allocates only its result.
 */
class Writer {
  #buf = new Uint8Array(4096);
  #pos = 0;
  /**
   * Compression targets: the names written label by label so far, each
   * suffix `labels[start..]` written at `offset`. A handful per message, so
   * a scan comparing labels costs less than building a key per suffix.
   */
  readonly #targetNames: DnsName[] = [];
  readonly #targetStarts: number[] = [];
  readonly #targetOffsets: number[] = [];

  /** Empties the writer for the next message. */
  reset(): this {
    this.#pos = 0;
    this.#targetNames.length = 0;
    this.#targetStarts.length = 0;
    this.#targetOffsets.length = 0;
    return this;
  }

  #grow(n: number): void {
    if (this.#pos + n <= this.#buf.length) return;
    const next = new Uint8Array(Math.max(this.#buf.length * 2, this.#pos + n));
    next.set(this.#buf.subarray(0, this.#pos));
    this.#buf = next;
  }

  /** Where the suffix `name[from..]` was written before, or -1. */
  #target(name: DnsName, from: number): number {
    const length = name.length - from;
    for (let t = 0; t < this.#targetNames.length; t++) {
      const other = this.#targetNames[t];
      const start = this.#targetStarts[t];
      if (other.length - start !== length) continue;
      let k = 0;
      while (k < length && other[start + k] === name[from + k]) k++;
      if (k === length) return this.#targetOffsets[t];
    }
    return -1;
  }

  u8(v: number): void {
    this.#grow(1);
    this.#buf[this.#pos++] = v & 0xff;
  }

  u16(v: number): void {
    this.#grow(2);
    this.#buf[this.#pos++] = (v >> 8) & 0xff;
    this.#buf[this.#pos++] = v & 0xff;
  }

  u32(v: number): void {
    this.u16((v >>> 16) & 0xffff);
    this.u16(v & 0xffff);
  }

  bytes(b: Uint8Array): void {
    this.#grow(b.length);
    this.#buf.set(b, this.#pos);
    this.#pos += b.length;
  }

  name(name: DnsName): void {
    let wire = 1;
    for (const label of name) wire += label.length + 1;
    if (wire > MAX_NAME_WIRE) {
      throw new RangeError(`Cannot encode DNS name: expected at most 255 bytes, got ${wire}`);
    }
    for (let i = 0; i < name.length; i++) {
      // Only an exact match of every label is reused, so letter case stays intact.
      const at = this.#target(name, i);
      if (at >= 0) {
        this.u16(0xc000 | at);
        return;
      }
      if (this.#pos < 0x4000) {
        this.#targetNames.push(name);
        this.#targetStarts.push(i);
        this.#targetOffsets.push(this.#pos);
      }
      const label = name[i];
      if (label.length === 0 || label.length > 63) {
        throw new RangeError(`Cannot encode DNS label: expected 1-63 bytes, got ${label.length}`);
      }
      this.#grow(label.length + 1);
      this.#buf[this.#pos++] = label.length;
      for (let j = 0; j < label.length; j++) this.#buf[this.#pos++] = label.charCodeAt(j) & 0xff;
    }
    this.u8(0);
  }

  record(r: DnsRecord): void {
    this.name(r.name);
    this.u16(r.type);
    this.u16(r.class);
    this.u32(r.ttl);
    const lengthAt = this.#pos;
    this.u16(0);
    const start = this.#pos;
    const d = r.rdata;
    if (d.kind === "raw") this.bytes(d.bytes);
    else if (d.kind === "name") this.name(d.name);
    else {
      this.name(d.mname);
      this.name(d.rname);
      this.u32(d.serial);
      this.u32(d.refresh);
      this.u32(d.retry);
      this.u32(d.expire);
      this.u32(d.minimum);
    }
    const len = this.#pos - start;
    this.#buf[lengthAt] = (len >> 8) & 0xff;
    this.#buf[lengthAt + 1] = len & 0xff;
  }

  finish(): Uint8Array {
    return this.#buf.slice(0, this.#pos);
  }
}

const writer = new Writer();

/** A name in presentation form, labels joined by dots (bytes outside printable ASCII escaped as \DDD). */
export function formatDnsName(name: DnsName): string {
  if (name.length === 0) return ".";
  return name.map(formatLabel).join(".");
}

function formatLabel(label: string): string {
  let plain = 0;
  while (plain < label.length && !needsEscape(label.charCodeAt(plain))) plain++;
  // Most labels are printable: the label itself, not a copy made a character at a time.
  if (plain === label.length) return label;
  let out = label.slice(0, plain);
  for (let i = plain; i < label.length; i++) {
    const c = label.charCodeAt(i);
    if (c === 0x2e || c === 0x5c) out += "\\" + label[i];
    else if (c <= 0x20 || c >= 0x7f) out += "\\" + String(c).padStart(3, "0");
    else out += label[i];
  }
  return out;
}

/** A dot, a backslash, or a byte outside printable ASCII. */
function needsEscape(c: number): boolean {
  return c <= 0x20 || c >= 0x7f || c === 0x2e || c === 0x5c;
}

/** Splits a dotted ASCII name ("t.example.net") into labels. */
export function dnsNameFromString(text: string): DnsName {
  const trimmed = text.replace(/\.$/, "");
  return trimmed === "" ? [] : trimmed.split(".");
}

/** Lower-cases ASCII letters only, as DNS compares names. */
export function lowerDnsLabel(label: string): string {
  let upper = false;
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    // toLowerCase() would also fold latin1 letters such as 0xC0: only ASCII labels may use it.
    if (c >= 0x80) {
      return label.replace(/[A-Z]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) | 0x20));
    }
    if (c >= 0x41 && c <= 0x5a) upper = true;
  }
  // Most names arrive in lower case: only then is a new string made.
  return upper ? label.toLowerCase() : label;
}

/**
 * Reads an EDNS Client Subnet option as `address/prefix` (e.g. "198.51.100.0/24").
 *
 * @returns the subnet, or null when the option is malformed or of an unknown family
 */
export function parseClientSubnet(option: EdnsOption): string | null {
  const d = option.data;
  if (option.code !== EDNS_CLIENT_SUBNET || d.length < 4) return null;
  const family = (d[0] << 8) | d[1];
  const prefix = d[2];
  const addr = d.subarray(4);
  if (family === 1) {
    if (prefix > 32 || addr.length > 4 || addr.length !== Math.ceil(prefix / 8)) return null;
    const full = [0, 0, 0, 0].map((_, i) => addr[i] ?? 0);
    return `${full.join(".")}/${prefix}`;
  }
  if (family === 2) {
    if (prefix > 128 || addr.length > 16 || addr.length !== Math.ceil(prefix / 8)) return null;
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) {
      groups.push((((addr[i] ?? 0) << 8) | (addr[i + 1] ?? 0)).toString(16));
    }
    return `${compressIpv6(groups)}/${prefix}`;
  }
  return null;
}

function compressIpv6(groups: string[]): string {
  let bestAt = -1;
  let bestLen = 0;
  for (let i = 0; i < groups.length;) {
    if (groups[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === "0") j++;
    if (j - i > bestLen && j - i > 1) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestAt < 0) return groups.join(":");
  return `${groups.slice(0, bestAt).join(":")}::${groups.slice(bestAt + bestLen).join(":")}`;
}
