/**
 * Bus benchmark: publish-to-deliver latency (p50/p95) and throughput,
 * in-process (same thread, and across a Deno Worker by round trip) and over
 * a real nats-server started from tests/infra.
 *
 *   deno run -A tests/bench/bus_bench.ts
 */
import { MemoryBus, NatsBus } from "../../core/bus/mod.ts";
import type { Bus, BusMessage } from "../../core/bus/mod.ts";
import { Logger, printLine } from "../../core/log/mod.ts";
import { natsUnavailable, startNats } from "../infra/nats.ts";

const quiet = new Logger({ level: "error", sink: () => {} });
const LATENCY_ROUNDS = 5_000;
const THROUGHPUT_MESSAGES = 100_000;
const PAYLOAD = { token_uuid: "8f14e45f-ceea-467f-a0e6-7a6b0f0b8c1e", event: "triggered", n: 0 };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

function report(label: string, samples: number[], note = ""): void {
  const sorted = samples.sort((a, b) => a - b);
  const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
  printLine(
    `${label.padEnd(40)} p50 ${us(percentile(sorted, 0.5))}  p95 ${us(percentile(sorted, 0.95))}` +
      note,
  );
}

/** Sequential publish -> delivered, one message in flight. */
async function latency(bus: Bus, topic: string): Promise<number[]> {
  let resolve: (() => void) | undefined;
  using _sub = bus.subscribe(topic, () => resolve?.());
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_ROUNDS + 200; i++) {
    const arrived = new Promise<void>((r) => resolve = r);
    const start = performance.now();
    bus.publish(topic, { ...PAYLOAD, n: i });
    await arrived;
    if (i >= 200) samples.push(performance.now() - start); // first 200: warm-up
  }
  return samples;
}

/** A burst of messages published back to back; time until the last is delivered. */
async function throughput(bus: Bus, topic: string): Promise<string> {
  let count = 0;
  let done: (() => void) | undefined;
  const all = new Promise<void>((r) => done = r);
  using _sub = bus.subscribe(topic, () => {
    if (++count === THROUGHPUT_MESSAGES) done?.();
  }, { queueSize: THROUGHPUT_MESSAGES });
  const start = performance.now();
  for (let i = 0; i < THROUGHPUT_MESSAGES; i++) bus.publish(topic, { ...PAYLOAD, n: i });
  await all;
  const seconds = (performance.now() - start) / 1000;
  return `${Math.round(THROUGHPUT_MESSAGES / seconds).toLocaleString("en")} msgs/s`;
}

/** Round trips to the echo worker, with a window of messages in flight for throughput. */
async function workerRoundTrips(label: string, viaPort: boolean): Promise<void> {
  const channel = `bench-${crypto.randomUUID()}`;
  await using bus = new MemoryBus({ channel, broadcast: !viaPort, logger: quiet });
  const worker = new Worker(new URL("../testdata/bus/echo_worker.ts", import.meta.url), {
    type: "module",
  });
  const subscribed = new Promise<void>((r) => worker.onmessage = () => r());
  if (viaPort) {
    const { port } = bus.linkWorker();
    worker.postMessage({ port }, [port]);
  } else worker.postMessage({ channel });
  await subscribed;
  let waiting: ((m: BusMessage) => void) | undefined;
  let pongs = 0;
  using _sub = bus.subscribe("pong.*", (m) => {
    pongs++;
    waiting?.(m);
  });
  const samples: number[] = [];
  for (let i = 0; i < 2_200; i++) {
    const arrived = new Promise<BusMessage>((r) => waiting = r);
    const start = performance.now();
    bus.publish("ping.rtt", { ...PAYLOAD, n: i });
    await arrived;
    if (i >= 200) samples.push(performance.now() - start);
  }
  report(`${label} (RTT)`, samples, "  (one way ~ half)");

  const total = 50_000;
  // BroadcastChannel loses messages beyond ~256 in flight: keep the window below that.
  const window = viaPort ? 1000 : 200;
  waiting = undefined;
  pongs = 0;
  const start = performance.now();
  for (let sent = 0; sent < total; sent += window) {
    for (let i = 0; i < window; i++) bus.publish("ping.tp", { ...PAYLOAD, n: sent + i });
    await new Promise<void>((r) => {
      waiting = () => pongs >= sent + window && r();
    });
  }
  const seconds = (performance.now() - start) / 1000;
  printLine(
    `${label.padEnd(40)} ${
      Math.round(total / seconds).toLocaleString("en")
    } round trips/s (window ${window})`,
  );
  worker.terminate();
}

printLine(
  `Bus benchmark: ${LATENCY_ROUNDS} sequential messages for latency, ` +
    `${THROUGHPUT_MESSAGES} back-to-back for throughput`,
);
{
  await using bus = new MemoryBus({ broadcast: false, logger: quiet });
  report("MemoryBus, same thread", await latency(bus, "bench.lat"));
  printLine(`${"MemoryBus, same thread".padEnd(40)} ${await throughput(bus, "bench.tp")}`);
}
await workerRoundTrips("MemoryBus, Worker/BroadcastChannel", false);
await workerRoundTrips("MemoryBus, Worker/MessagePort", true);
const skip = natsUnavailable();
if (skip) printLine(`NatsBus skipped: ${skip}`);
else {
  await using nats = await startNats();
  await using bus = new NatsBus(nats.url, { logger: quiet });
  await bus.ready();
  report("NatsBus, loopback nats-server", await latency(bus, "bench.lat"));
  printLine(`${"NatsBus, loopback nats-server".padEnd(40)} ${await throughput(bus, "bench.tp")}`);
  const s = bus.stats();
  printLine(
    `NatsBus stats after the run: published ${s.published}, delivered ${s.delivered}, ` +
      `dropped ${s.dropped}`,
  );
}
