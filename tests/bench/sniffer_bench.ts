/**
 * Sniffer pure-path benchmark: captured SYN frames decoded (parseSynFrame),
 * OS-guessed and tracked per source (SynTracker) per second, CPU time per
 * 10k SYNs, and the tracker's heap at its source cap. Frames come from the
 * namespace capture in tests/testdata/sniffer/syns.pcap, rewritten to many
 * source addresses with fresh IP-IDs and ISNs (a scan across the fleet).
 *
 *   deno run -A tests/bench/sniffer_bench.ts
 */
import process from "node:process";
import { parseSynFrame, SynTracker } from "../../core/sniffer/mod.ts";
import { printLine } from "../../core/log/mod.ts";
import { loadSynFixture } from "../core/sniffer/syn_fixture.ts";

const SOURCES = 5_000;
const FRAMES = 20_000;
const ROUNDS = 10;

const { linkType, frames: captured } = loadSynFixture();
let seed = 17;
const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
/**
 * FRAMES frames, round robin over SOURCES sources: each source keeps one
 * captured stack shape, its IP-ID and ISN drawn fresh per SYN (Ethernet).
 */
const frames = Array.from({ length: FRAMES }, (_, i) => {
  const source = i % SOURCES;
  const frame = captured[source % captured.length].data.slice();
  frame.set([198, 18, source >> 8, source & 0xff], 14 + 12);
  frame.set([random() * 256, random() * 256], 14 + 4);
  const tcp = 14 + (frame[14] & 0x0f) * 4;
  frame.set([random() * 256, random() * 256, random() * 256, random() * 256], tcp + 4);
  return frame;
});

function run(tracker: SynTracker, start: number): number {
  let events = 0;
  for (let i = 0; i < frames.length; i++) {
    const syn = parseSynFrame(frames[i], linkType);
    if (syn && tracker.observe(syn, new Date(start + i))) events++;
  }
  return events;
}

// Warm-up, so the JIT has compiled the hot path before it is timed.
for (let w = 0; w < 3; w++) run(new SynTracker(), 0);
const tracker = new SynTracker();
let events = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let r = 0; r < ROUNDS; r++) events += run(tracker, r * FRAMES);
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const syns = ROUNDS * FRAMES;
const cpuMs = (cpu.user + cpu.system) / 1000;
printLine(
  `parse+guess+track  ${syns} SYNs from ${SOURCES} sources: ${
    (syns / wall * 1000).toFixed(0)
  } SYNs/s` +
    `, CPU ${(cpuMs / syns * 10_000).toFixed(1)} ms per 10k SYNs, ${events} events`,
);

// Parse alone, to show where the time goes.
for (const f of frames) parseSynFrame(f, linkType);
const p0 = performance.now();
for (let r = 0; r < ROUNDS; r++) for (const f of frames) parseSynFrame(f, linkType);
printLine(`parseSynFrame alone: ${(syns / (performance.now() - p0) * 1000).toFixed(0)} frames/s`);

// Memory at the source cap: 65,536 sources tracked (the default cap) with full 8-SYN windows.
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const heap0 = process.memoryUsage().heapUsed;
const full = new SynTracker();
const template = parseSynFrame(frames[0], linkType)!;
for (let s = 0; s < 65_536; s++) {
  const srcIp = `198.18.${s >> 8}.${s & 0xff}`;
  for (let k = 0; k < 8; k++) {
    full.observe({ ...template, srcIp, ipId: (s + k) & 0xffff, isn: s * 7 + k }, new Date(k));
  }
}
gc?.();
const heapMb = (process.memoryUsage().heapUsed - heap0) / 2 ** 20;
printLine(
  `SynTracker at ${full.size} sources (the default cap), 8 SYNs each: heap +${
    heapMb.toFixed(1)
  } MiB` +
    `${gc ? "" : " (no --v8-flags=--expose-gc: includes garbage)"}`,
);
