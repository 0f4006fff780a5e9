import type { Logger } from "../log/mod.ts";
import { LINK_TYPES } from "./parse_syn_frame.ts";
import { parseProbeReply, type ProbeReply } from "./parse_probe_reply.ts";
import type { CapturedFrame } from "./pcap_capture.ts";
import { probeFrame } from "./probe_frame.ts";
import type { ProbePolicy } from "./probe_policy.ts";
import type { SynPacket } from "./syn_packet.ts";
import type { TcpProbe, TcpProbePort } from "./tcp_probe.ts";
import { tosFields } from "./tos_fields.ts";
import { hopDistance, initialTtl } from "./ttl_hops.ts";

/** A capture the prober sends its SYNs on and reads the answers from (libpcap, or a fake). */
export interface ProbeChannel {
  readonly fd: number;
  setFilter(expression: string): void;
  /** Sends a whole link-layer frame out of the interface. */
  inject(frame: Uint8Array): void;
  read(max: number): CapturedFrame[];
  close(): void;
}

/** Options for {@linkcode ActiveProber}. */
export interface ActiveProberOptions {
  /** Who may be probed, and how often. */
  policy: ProbePolicy;
  /** Ports each probe sends a SYN to. */
  ports: readonly number[];
  /** Opens a channel on an interface. */
  open(iface: string): ProbeChannel;
  poll(fds: readonly number[], timeoutMs: number): Promise<number[]>;
  /** Stores a finished probe (the sniffer's journal). */
  record(probe: TcpProbe): Promise<void>;
  log: Logger;
  random: () => number;
  now: () => Date;
  /** How long a probe waits for answers. @default 2000 */
  timeoutMs?: number;
  /** Probes running at once; more are skipped (counted as busy). @default 4 */
  maxInFlight?: number;
}

/** A captured client SYN offered to the prober. */
export interface OfferedSyn {
  /** The interface it was captured on (the probe leaves through it). */
  iface: string;
  frame: CapturedFrame;
  /** The capture's link type (only Ethernet can be probed). */
  linkType: number;
  packet: SynPacket;
}

/** First port of Linux's default ephemeral range, and its size (32768-60999). */
const EPHEMERAL_FIRST = 32768;
const EPHEMERAL_COUNT = 28232;

/**
 * The optional active prober (DECNET_PROBER=on): after a source's first
 * SYN to a decky, and only when {@linkcode ProbePolicy} allows it (inside
 * DECNET_PROBER_ALLOW, once per source per hour, DECNET_PROBER_RATE per
 * minute altogether, a few at once), it sends one SYN to each configured
 * port of that source - from the decky it touched, out of the interface the
 * SYN came in on, to the MAC it came from - and reads what answers within
 * the timeout: SYN-ACK (open: TTL, window, options, TOS and the server's
 * ISN), RST (closed) or nothing (filtered). The decky's own stack resets
 * the half-open connections. Each probe is recorded whole (a `tcp_probe`
 * journal record the collector puts on the attacker). Only untagged
 * Ethernet captures of IPv4 sources can be probed.
 *
 * @example
 * ```ts
 * import type { ActiveProberOptions } from "./active_prober.ts";
 * import { ActiveProber } from "./active_prober.ts";
 * declare const options: ActiveProberOptions;
 * await using prober = new ActiveProber(options);
 * ```
 */
export class ActiveProber implements AsyncDisposable {
  readonly #o: ActiveProberOptions;
  readonly #running = new Set<Promise<void>>();
  readonly #counts = {
    sent: 0,
    answered: 0,
    not_allowed: 0,
    source_limited: 0,
    rate_limited: 0,
    busy: 0,
    unsupported: 0,
    failed: 0,
  };
  #closed = false;

  constructor(options: ActiveProberOptions) {
    this.#o = options;
  }

  /**
   * A SYN from `syn.packet.srcIp` was seen: probes the source in the
   * background when the policy allows it now.
   */
  offer(syn: OfferedSyn): void {
    const { iface, frame, linkType, packet } = syn;
    if (this.#closed) return;
    const tagged = linkType !== LINK_TYPES.ETHERNET || frame.bytes.length < 14 ||
      frame.bytes[12] !== 0x08 || frame.bytes[13] !== 0x00 || packet.ipVersion !== 4;
    if (tagged) {
      this.#counts.unsupported++;
      return;
    }
    if (this.#running.size >= (this.#o.maxInFlight ?? 4)) {
      // Asked before the policy: a source skipped now is offered again by its next SYN event.
      if (this.#o.policy.allows(packet.srcIp)) this.#counts.busy++;
      else this.#counts.not_allowed++;
      return;
    }
    const decision = this.#o.policy.decide(packet.srcIp, this.#o.now().getTime());
    if (decision !== "probe") {
      this.#counts[decision]++;
      return;
    }
    const task = this.#probe(iface, frame.bytes, packet)
      .catch((e) => {
        this.#counts.failed++;
        this.#o.log.warn("probe failed", { source: packet.srcIp, error: String(e) });
      })
      .finally(() => this.#running.delete(task));
    this.#running.add(task);
  }

  /** Counters since start: probes sent and answered, and offers skipped by reason. */
  stats(): Record<string, number> {
    return { ...this.#counts };
  }

  /** Stops offering and waits for the probes running (each ends within its timeout). */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#running);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #probe(iface: string, syn: Uint8Array, packet: SynPacket): Promise<void> {
    const { ports, random, now } = this.#o;
    const channel = this.#o.open(iface);
    try {
      const srcPort = EPHEMERAL_FIRST + Math.floor(random() * EPHEMERAL_COUNT);
      channel.setFilter(
        `tcp and src host ${packet.srcIp} and dst host ${packet.dstIp} and dst port ${srcPort}`,
      );
      const isns = new Map(ports.map((port) => [port, Math.floor(random() * 0x1_0000_0000)]));
      const sentAt = now();
      for (const [port, isn] of isns) {
        channel.inject(probeFrame({
          // Back the way the SYN came: to its sender's MAC, from the decky's.
          dstMac: syn.subarray(6, 12),
          srcMac: syn.subarray(0, 6),
          srcIp: packet.dstIp,
          dstIp: packet.srcIp,
          srcPort,
          dstPort: port,
          isn,
          ipId: Math.floor(random() * 0x10000),
          tsVal: Math.floor(random() * 0x1_0000_0000),
        }));
      }
      this.#counts.sent++;
      const replies = new Map<number, ProbeReply>();
      const deadline = sentAt.getTime() + (this.#o.timeoutMs ?? 2000);
      while (replies.size < isns.size) {
        const left = deadline - now().getTime();
        if (left <= 0) break;
        await this.#o.poll([channel.fd], Math.min(left, 200));
        for (const frame of channel.read(64)) {
          const reply = parseProbeReply(frame.bytes);
          const isn = reply ? isns.get(reply.srcPort) : undefined;
          // Only an answer to our SYN counts: it acknowledges the ISN sent to that port.
          if (
            !reply || isn === undefined || reply.srcIp !== packet.srcIp ||
            reply.dstPort !== srcPort || reply.ack !== ((isn + 1) >>> 0) ||
            replies.has(reply.srcPort)
          ) continue;
          replies.set(reply.srcPort, reply);
        }
      }
      if (replies.size > 0) this.#counts.answered++;
      await this.#o.record({
        kind: "tcp_probe",
        src_ip: packet.srcIp,
        decky: packet.dstIp,
        occurred_at: sentAt.toISOString(),
        ports: ports.map((port) => probePort(port, replies.get(port))),
      });
    } finally {
      channel.close();
    }
  }
}

function probePort(port: number, reply: ProbeReply | undefined): TcpProbePort {
  if (!reply) {
    return {
      port,
      state: "filtered",
      ttl: null,
      initial_ttl: null,
      hop_distance: null,
      window: null,
      mss: null,
      wscale: null,
      options: null,
      tos: null,
      dscp: null,
      ecn: null,
      isn: null,
    };
  }
  const tos = tosFields(reply.tos);
  return {
    port,
    state: reply.synAck ? "open" : "closed",
    ttl: reply.ttl,
    initial_ttl: initialTtl(reply.ttl),
    hop_distance: hopDistance(reply.ttl),
    window: reply.window,
    mss: reply.options.mss,
    wscale: reply.options.wscale,
    options: reply.options.signature,
    tos: tos.tos,
    dscp: tos.dscp,
    ecn: tos.ecn,
    isn: reply.synAck ? reply.seq : null,
  };
}
