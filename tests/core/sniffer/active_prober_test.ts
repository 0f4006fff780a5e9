import assert from "node:assert/strict";
import { Logger } from "../../../core/log/mod.ts";
import { ActiveProber, type ProbeChannel } from "../../../core/sniffer/active_prober.ts";
import { LINK_TYPES, parseSynFrame } from "../../../core/sniffer/mod.ts";
import type { CapturedFrame } from "../../../core/sniffer/pcap_capture.ts";
import { probeFrame } from "../../../core/sniffer/probe_frame.ts";
import { ProbePolicy } from "../../../core/sniffer/probe_policy.ts";
import type { TcpProbe } from "../../../core/sniffer/tcp_probe.ts";

const ATTACKER_MAC = Uint8Array.of(2, 0, 0, 0, 0, 0xaa);
const DECKY_MAC = Uint8Array.of(2, 0, 0, 0, 0, 0xdd);

/** A client SYN as captured: attacker 198.51.100.7 to decky 192.0.2.10:80. */
function clientSyn(srcIp = "198.51.100.7"): CapturedFrame {
  return {
    bytes: probeFrame({
      dstMac: DECKY_MAC,
      srcMac: ATTACKER_MAC,
      srcIp,
      dstIp: "192.0.2.10",
      srcPort: 50_000,
      dstPort: 80,
      isn: 1,
      ipId: 1,
      tsVal: 1,
    }),
    at: 0,
  };
}

/** The source's stack: SYN-ACK from 22, RST from 23, nothing from 443 (firewalled). */
function answerOf(syn: Uint8Array, ackDelta = 1): Uint8Array | null {
  const view = new DataView(syn.buffer, syn.byteOffset);
  const port = view.getUint16(36);
  if (port === 443) return null;
  const frame = new Uint8Array(syn);
  const out = new DataView(frame.buffer);
  frame.set(syn.subarray(6, 12), 0);
  frame.set(syn.subarray(0, 6), 6);
  frame.set(syn.subarray(30, 34), 26);
  frame.set(syn.subarray(26, 30), 30);
  out.setUint16(34, port);
  out.setUint16(36, view.getUint16(34));
  out.setUint32(38, 0xabcdef01);
  out.setUint32(42, (view.getUint32(38) + ackDelta) >>> 0);
  frame[22] = 57;
  frame[15] = 0x2a;
  frame[47] = port === 22 ? 0x12 : 0x14;
  return frame;
}

function harness(o: { allow?: string[]; ackDelta?: number; maxInFlight?: number } = {}) {
  let clock = 0;
  const opened: string[] = [];
  const sent: Uint8Array[] = [];
  const filters: string[] = [];
  let waiting: CapturedFrame[] = [];
  let closed = 0;
  const recorded: TcpProbe[] = [];
  const channel: ProbeChannel = {
    fd: 7,
    setFilter: (f) => void filters.push(f),
    inject(frame) {
      sent.push(frame);
      // A stray answer with the wrong ACK first: it must not count.
      const stray = answerOf(frame, 5);
      if (stray) waiting.push({ bytes: stray, at: clock });
      const reply = answerOf(frame, o.ackDelta ?? 1);
      if (reply) waiting.push({ bytes: reply, at: clock });
    },
    read(max) {
      const out = waiting.slice(0, max);
      waiting = waiting.slice(max);
      return out;
    },
    close: () => void closed++,
  };
  const prober = new ActiveProber({
    policy: new ProbePolicy({ allow: o.allow ?? ["198.51.100.0/24"], ratePerMinute: 60 }),
    ports: [22, 23, 443],
    open: (iface) => {
      opened.push(iface);
      return channel;
    },
    poll: (_fds, timeoutMs) => {
      clock += timeoutMs;
      return Promise.resolve([7]);
    },
    record: (probe) => Promise.resolve(void recorded.push(probe)),
    log: new Logger({ level: "error" }),
    random: () => 0.5,
    now: () => new Date(Date.UTC(2026, 11, 1) + clock),
    timeoutMs: 1000,
    maxInFlight: o.maxInFlight,
  });
  return { prober, opened, sent, filters, recorded, closed: () => closed };
}

Deno.test("ActiveProber probes an allowed source once, from the decky it touched", async () => {
  const h = harness();
  const syn = clientSyn();
  const packet = parseSynFrame(syn.bytes, LINK_TYPES.ETHERNET)!;
  h.prober.offer({ iface: "br-lan", frame: syn, linkType: LINK_TYPES.ETHERNET, packet });
  h.prober.offer({ iface: "br-lan", frame: syn, linkType: LINK_TYPES.ETHERNET, packet });
  await h.prober.close();
  assert.deepEqual(h.opened, ["br-lan"]);
  assert.equal(h.closed(), 1);
  assert.deepEqual(h.filters, [
    "tcp and src host 198.51.100.7 and dst host 192.0.2.10 and dst port 46884",
  ]);
  // One SYN per port, back to the sender's MAC from the decky's address and MAC.
  assert.equal(h.sent.length, 3);
  for (const [i, frame] of h.sent.entries()) {
    assert.deepEqual([...frame.subarray(0, 12)], [...ATTACKER_MAC, ...DECKY_MAC]);
    const probe = parseSynFrame(frame, LINK_TYPES.ETHERNET)!;
    assert.deepEqual([probe.srcIp, probe.dstIp, probe.srcPort, probe.dstPort], [
      "192.0.2.10",
      "198.51.100.7",
      46884,
      [22, 23, 443][i],
    ]);
  }
  assert.equal(h.recorded.length, 1);
  const [recorded] = h.recorded;
  assert.deepEqual([recorded.kind, recorded.src_ip, recorded.decky, recorded.occurred_at], [
    "tcp_probe",
    "198.51.100.7",
    "192.0.2.10",
    "2026-12-01T00:00:00.000Z",
  ]);
  assert.deepEqual(recorded.ports[0], {
    port: 22,
    state: "open",
    ttl: 57,
    initial_ttl: 64,
    hop_distance: 7,
    window: 64240,
    mss: 1460,
    wscale: 7,
    options: "mss,sok,ts,nop,ws",
    tos: "42",
    dscp: 10,
    ecn: 2,
    isn: 0xabcdef01,
  });
  assert.deepEqual([recorded.ports[1].state, recorded.ports[1].ttl, recorded.ports[1].isn], [
    "closed",
    57,
    null,
  ]);
  assert.deepEqual([recorded.ports[2].state, recorded.ports[2].ttl, recorded.ports[2].options], [
    "filtered",
    null,
    null,
  ]);
  assert.deepEqual(h.prober.stats(), {
    sent: 1,
    answered: 1,
    not_allowed: 0,
    source_limited: 1,
    rate_limited: 0,
    busy: 0,
    unsupported: 0,
    failed: 0,
  });
});

Deno.test("ActiveProber counts answers that acknowledge another ISN as no answer", async () => {
  const h = harness({ ackDelta: 2 });
  const syn = clientSyn();
  h.prober.offer({
    iface: "br-lan",
    frame: syn,
    linkType: LINK_TYPES.ETHERNET,
    packet: parseSynFrame(syn.bytes, 1)!,
  });
  await h.prober.close();
  assert.deepEqual(h.recorded[0].ports.map((p) => p.state), ["filtered", "filtered", "filtered"]);
  assert.equal(h.prober.stats().answered, 0);
});

Deno.test("ActiveProber sends nothing to a source outside the allow list, or off Ethernet", async () => {
  const h = harness({ allow: ["203.0.113.0/24"] });
  const syn = clientSyn();
  const packet = parseSynFrame(syn.bytes, LINK_TYPES.ETHERNET)!;
  h.prober.offer({ iface: "br-lan", frame: syn, linkType: LINK_TYPES.ETHERNET, packet });
  h.prober.offer({
    iface: "any",
    frame: { bytes: syn.bytes.subarray(14), at: 0 },
    linkType: LINK_TYPES.RAW,
    packet,
  });
  await h.prober.close();
  assert.deepEqual([h.opened, h.sent, h.recorded], [[], [], []]);
  assert.equal(h.prober.stats().not_allowed, 1);
  assert.equal(h.prober.stats().unsupported, 1);
});

Deno.test("ActiveProber runs a bounded number of probes at once", async () => {
  const h = harness({ maxInFlight: 1 });
  for (const ip of ["198.51.100.7", "198.51.100.8"]) {
    const syn = clientSyn(ip);
    h.prober.offer({
      iface: "br-lan",
      frame: syn,
      linkType: LINK_TYPES.ETHERNET,
      packet: parseSynFrame(syn.bytes, 1)!,
    });
  }
  await h.prober.close();
  assert.deepEqual(h.recorded.map((p) => p.src_ip), ["198.51.100.7"]);
  assert.equal(h.prober.stats().busy, 1);
});
