import assert from "node:assert/strict";
import { Logger } from "../../../core/log/mod.ts";
import { CaptureLoop } from "../../../core/sniffer/capture_loop.ts";
import type { CapturedFrame, FrameSource } from "../../../core/sniffer/pcap_capture.ts";

/** A capture whose frames the test queues; records what the loop did to it. */
class FakeSource implements FrameSource {
  readonly linkType = 1;
  readonly filters: string[] = [];
  readonly queued: CapturedFrame[] = [];
  closed = false;
  failReads = false;
  constructor(readonly iface: string, readonly fd: number) {}
  get interface(): string {
    return this.iface;
  }
  setFilter(expression: string): void {
    this.filters.push(expression);
  }
  read(max: number): CapturedFrame[] {
    if (this.failReads) throw new Error("interface went away");
    return this.queued.splice(0, max);
  }
  counters() {
    return { received: this.filters.length, dropped: 1, ifDropped: 0 };
  }
  close(): void {
    this.closed = true;
  }
}

function harness() {
  const opened: FakeSource[] = [];
  const handed: { iface: string; count: number }[] = [];
  let turns = 0;
  const lines: string[] = [];
  const stop = new AbortController();
  const loop = new CaptureLoop({
    open: (iface) => {
      if (iface === "missing0") throw new Error("No such device exists");
      const source = new FakeSource(iface, 100 + opened.length);
      opened.push(source);
      return source;
    },
    poll: async (fds) => {
      turns++;
      // A real poll waits on another thread: let timers run.
      await new Promise((r) => setTimeout(r, 0));
      return opened.filter((s) => !s.closed && s.queued.length > 0 || s.failReads)
        .map((s) => s.fd).filter((fd) => fds.includes(fd));
    },
    onFrames: (frames, source) => {
      handed.push({ iface: source.interface, count: frames.length });
    },
    log: new Logger({ level: "debug", sink: (_l, line) => lines.push(line) }),
    batch: 2,
  });
  return { loop, opened, handed, lines, stop, turns: () => turns };
}

async function turnsPass(h: ReturnType<typeof harness>, n: number): Promise<void> {
  const target = h.turns() + n;
  while (h.turns() < target) await new Promise((r) => setTimeout(r, 0));
}

Deno.test("CaptureLoop.plan() opens, refilters and closes captures as the plan changes", async () => {
  const h = harness();
  h.loop.plan(new Map([["br-a", ["192.0.2.10"]]]));
  const running = h.loop.run(h.stop.signal);
  await turnsPass(h, 2);
  assert.equal(h.opened.length, 1);
  assert.deepEqual(h.opened[0].filters, [
    "tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn and dst host (192.0.2.10)",
  ]);

  // Same plan again: nothing reopened or refiltered.
  h.loop.plan(new Map([["br-a", ["192.0.2.10"]]]));
  h.loop.plan(new Map([["br-a", ["192.0.2.10", "192.0.2.11"]], ["eth1", ["198.51.100.7"]]]));
  await turnsPass(h, 2);
  assert.equal(h.opened.length, 2);
  assert.equal(h.opened[0].filters.length, 2);
  assert.match(h.opened[0].filters[1], /192\.0\.2\.10 or 192\.0\.2\.11/);

  h.loop.plan(new Map([["eth1", ["198.51.100.7"]]]));
  await turnsPass(h, 2);
  assert.equal(h.opened[0].closed, true);
  assert.deepEqual(h.loop.stats().interfaces, ["eth1"]);
  // Counters of the closed capture stay in the totals.
  assert.equal(h.loop.stats().dropped, 2);

  h.stop.abort();
  await running;
  assert.equal(h.opened[1].closed, true);
});

Deno.test("CaptureLoop.run() hands on frames in batches and survives a capture that fails", async () => {
  const h = harness();
  h.loop.plan(new Map([["br-a", ["192.0.2.10"]], ["missing0", ["192.0.2.99"]]]));
  const running = h.loop.run(h.stop.signal);
  await turnsPass(h, 1);
  for (let i = 0; i < 5; i++) h.opened[0].queued.push({ bytes: new Uint8Array([i]), at: i });
  await turnsPass(h, 4);
  assert.deepEqual(h.handed, [
    { iface: "br-a", count: 2 },
    { iface: "br-a", count: 2 },
    { iface: "br-a", count: 1 },
  ]);
  assert.equal(h.loop.stats().frames, 5);
  assert.equal(h.lines.filter((l) => l.includes("cannot capture interface=missing0")).length, 1);

  h.opened[0].failReads = true;
  await turnsPass(h, 3);
  assert.equal(h.opened[0].closed, true);
  assert.equal(h.lines.filter((l) => l.includes("capture failed interface=br-a")).length, 1);
  h.stop.abort();
  await running;
});
