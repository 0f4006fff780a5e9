import assert from "node:assert/strict";
import { parseSynFrame, SynTracker } from "../../../core/sniffer/mod.ts";
import type { SynPacket, TcpFingerprint } from "../../../core/sniffer/mod.ts";
import { loadSynFixture } from "./syn_fixture.ts";

const T0 = Date.parse("2026-12-01T10:00:00Z");
const at = (seconds: number) => new Date(T0 + seconds * 1000);

const fixture = loadSynFixture();
const fixtureSyns = fixture.frames.map(({ data }) => parseSynFrame(data, fixture.linkType)!);
/** The first Linux (curl) SYN: DF, random IP-ID and ISN. */
const LINUX = fixtureSyns[0];

/** A Linux-shaped SYN from `srcIp` with the given IP-ID and ISN. */
function syn(srcIp: string, ipId: number, isn: number, extra: Partial<SynPacket> = {}): SynPacket {
  return { ...LINUX, srcIp, ipId, isn, ...extra };
}

function observeAll(tracker: SynTracker, packets: SynPacket[]): (TcpFingerprint | null)[] {
  return packets.map((packet, i) => tracker.observe(packet, at(i)));
}

Deno.test("SynTracker.observe() emits the full event on a source's first SYN", () => {
  const tracker = new SynTracker();
  const event = tracker.observe({ ...LINUX, ttl: 57, tos: 0x2a }, at(0));
  assert.deepEqual(event, {
    src_ip: "10.77.0.2",
    decky: "10.77.0.1",
    dst_port: 8081,
    ttl: 57,
    initial_ttl: 64,
    hop_distance: 7,
    window: 64240,
    mss: 1460,
    wscale: 10,
    options: "mss,sok,ts,nop,ws",
    has_sack: true,
    has_timestamps: true,
    tos: "42",
    dscp: 10,
    ecn: 2,
    os_guess: "Linux 3.11+",
    ipid_class: "unknown",
    ipid_samples: 1,
    isn_class: "unknown",
    isn_samples: 1,
    repeats: 0,
    occurred_at: "2026-12-01T10:00:00.000Z",
  });
});

Deno.test("SynTracker.observe() emits exactly one event per transition and counts repeats", () => {
  const tracker = new SynTracker();
  // 4 SYNs with incremental IP-ID and ISN: unknown until the 4th, then incremental.
  const ramp = [0, 1, 2, 3].map((k) => syn("198.51.100.7", 100 + k, 5000 + 10 * k));
  const events = observeAll(tracker, ramp);
  assert.deepEqual(events.map((e) => e && [e.ipid_class, e.isn_class, e.repeats]), [
    ["unknown", "unknown", 0],
    null,
    null,
    ["incremental", "incremental", 2],
  ]);
  assert.equal(tracker.pendingRepeats("198.51.100.7"), 0);
  // More of the same: counted, not emitted.
  for (let k = 4; k < 10; k++) {
    assert.equal(tracker.observe(syn("198.51.100.7", 100 + k, 5000 + 10 * k), at(k)), null);
  }
  assert.equal(tracker.pendingRepeats("198.51.100.7"), 6);
  // A TOS change moves dscp, part of the key: one event carrying the 6 repeats.
  const marked = tracker.observe(syn("198.51.100.7", 110, 5100, { tos: 0x2a }), at(10));
  assert.equal(marked?.dscp, 10);
  assert.equal(marked?.repeats, 6);
  assert.equal(marked?.ipid_samples, 8);
  assert.equal(tracker.observe(syn("198.51.100.7", 111, 5110, { tos: 0x2a }), at(11)), null);
  // ECN alone is not in the key.
  assert.equal(tracker.observe(syn("198.51.100.7", 112, 5120, { tos: 0x29 }), at(12)), null);
});

Deno.test("SynTracker.observe() emits when the OS guess or options change", () => {
  const tracker = new SynTracker();
  assert.ok(tracker.observe(syn("198.51.100.8", 1, 1), at(0)));
  assert.equal(tracker.observe(syn("198.51.100.8", 9, 9), at(1)), null);
  const nmap = fixtureSyns.find((packet) => packet.window === 1024)!;
  const event = tracker.observe({ ...nmap, srcIp: "198.51.100.8" }, at(2));
  assert.equal(event?.os_guess, "nmap SYN scan");
  assert.equal(event?.options, "mss");
  assert.equal(event?.repeats, 1);
  // Back to the Linux shape: another transition.
  assert.equal(tracker.observe(syn("198.51.100.8", 5, 5), at(3))?.os_guess, "Linux 3.11+");
});

Deno.test("SynTracker.observe() classifies over the last 8 SYNs only", () => {
  const tracker = new SynTracker();
  const source = "198.51.100.9";
  // 8 zero IP-IDs then random ones: the zero class holds until a nonzero enters the window.
  const events: (TcpFingerprint | null)[] = [];
  for (let k = 0; k < 8; k++) events.push(tracker.observe(syn(source, 0, 1000 * k + 7), at(k)));
  assert.equal(events.at(-1), null);
  assert.equal(events.filter(Boolean).at(-1)?.ipid_class, "zero");
  const changed = tracker.observe(syn(source, 40000, 9007), at(8));
  assert.equal(changed?.ipid_class, "random");
  assert.equal(changed?.ipid_samples, 8);
  // Eight more constant values push every zero out: constant.
  let last: TcpFingerprint | null = null;
  for (let k = 0; k < 8; k++) last = tracker.observe(syn(source, 77, 20000 + k), at(9 + k)) ?? last;
  assert.equal(last?.ipid_class, "constant");
});

Deno.test("SynTracker.observe() keeps sources apart and leaves IPv6 IP-ID unknown", () => {
  const tracker = new SynTracker();
  for (let k = 0; k < 4; k++) {
    tracker.observe(syn("198.51.100.1", 0, 42), at(k));
    tracker.observe(syn("198.51.100.2", 50 + k, 100 + k), at(k));
  }
  const a = tracker.observe(syn("198.51.100.1", 0, 42, { window: 999 }), at(5));
  const b = tracker.observe(syn("198.51.100.2", 54, 104, { window: 999 }), at(5));
  assert.deepEqual([a?.ipid_class, a?.isn_class], ["zero", "constant"]);
  assert.deepEqual([b?.ipid_class, b?.isn_class], ["incremental", "incremental"]);
  let v6: TcpFingerprint | null = null;
  for (let k = 0; k < 5; k++) {
    v6 = tracker.observe(syn("2001:db8::5", 0, 1000 + k, { ipVersion: 6 }), at(k)) ?? v6;
  }
  assert.deepEqual([v6?.ipid_class, v6?.ipid_samples, v6?.isn_class], [
    "unknown",
    0,
    "incremental",
  ]);
});

Deno.test("SynTracker bounds the sources it remembers, evicting the least recently seen", () => {
  const tracker = new SynTracker({ maxSources: 3 });
  tracker.observe(syn("198.51.100.1", 1, 1), at(0));
  tracker.observe(syn("198.51.100.2", 1, 1), at(1));
  tracker.observe(syn("198.51.100.3", 1, 1), at(2));
  // .1 seen again: now .2 is the oldest.
  assert.equal(tracker.observe(syn("198.51.100.1", 2, 2), at(3)), null);
  assert.equal(tracker.pendingRepeats("198.51.100.1"), 1);
  tracker.observe(syn("198.51.100.4", 1, 1), at(4));
  assert.equal(tracker.size, 3);
  // .1 survived with its state (another repeat), .2 was forgotten: its next SYN starts afresh.
  assert.equal(tracker.observe(syn("198.51.100.1", 3, 3), at(5)), null);
  assert.equal(tracker.pendingRepeats("198.51.100.1"), 2);
  assert.equal(tracker.pendingRepeats("198.51.100.2"), 0);
  const again = tracker.observe(syn("198.51.100.2", 2, 2), at(6));
  assert.equal(again?.ipid_samples, 1);
  // Many sources never grow it past the cap.
  for (let i = 0; i < 1000; i++) tracker.observe(syn(`203.0.113.${i % 250}.${i}`, i, i), at(7));
  assert.equal(tracker.size, 3);
});

Deno.test("SynTracker rejects a bad limit naming the field", () => {
  assert.throws(
    () => new SynTracker({ maxSources: 0 }),
    /maxSources must be a positive integer, got 0/,
  );
  assert.throws(
    () => new SynTracker({ sequenceWindow: 2.5 }),
    /sequenceWindow must be a positive integer, got 2.5/,
  );
});
