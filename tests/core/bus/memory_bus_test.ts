import assert from "node:assert/strict";
import { MemoryBus } from "../../../core/bus/mod.ts";
import type { BusMessage } from "../../../core/bus/mod.ts";
import { Logger } from "../../../core/log/mod.ts";
import { waitUntil } from "../../infra/wait_until.ts";
import { runBusContract } from "./bus_contract.ts";

const quiet = new Logger({ level: "error", sink: () => {} });

runBusContract(
  "MemoryBus",
  ({ channel, queueSize }) => new MemoryBus({ channel, queueSize, logger: quiet }),
);

/** A real Deno Worker running tests/testdata/bus/echo_worker.ts, terminated on dispose. */
async function startEchoWorker(
  link: { channel: string } | { port: MessagePort },
): Promise<AsyncDisposable> {
  const worker = new Worker(new URL("../../testdata/bus/echo_worker.ts", import.meta.url), {
    type: "module",
  });
  const replies: unknown[] = [];
  worker.onmessage = (e) => replies.push(e.data);
  worker.postMessage(link, "port" in link ? [link.port] : []);
  // Generous: `deno test` type-checks the worker's module as it starts, which on a loaded CI
  // machine running the suite in parallel took over 20 s.
  await waitUntil(() => replies.includes("subscribed"), {
    intervalMs: 5,
    timeoutMs: 120_000,
    what: "worker",
  });
  return {
    async [Symbol.asyncDispose]() {
      worker.postMessage({ stop: true });
      await waitUntil(() => replies.includes("stopped"), { intervalMs: 5, what: "worker stop" });
      worker.terminate();
    },
  };
}

Deno.test("MemoryBus.publish() crosses a Deno Worker boundary both ways", async () => {
  const channel = `worker-${crypto.randomUUID()}`;
  await using bus = new MemoryBus({ channel, logger: quiet });
  const pongs: BusMessage[] = [];
  const local: BusMessage[] = [];
  bus.subscribe("pong.*", (m) => {
    pongs.push(m);
  });
  bus.subscribe("ping.*", (m) => {
    local.push(m);
  });
  await using _worker = await startEchoWorker({ channel });
  bus.publish("ping.one", { n: 1 });
  bus.publish("ping.two", { n: 2 });
  await waitUntil(() => pongs.length === 2, { intervalMs: 5, what: "pongs from the worker" });
  assert.deepEqual(pongs, [
    { topic: "pong.one", payload: { n: 1, echoed_by: "worker" } },
    { topic: "pong.two", payload: { n: 2, echoed_by: "worker" } },
  ]);
  // Same-thread subscribers get the message too, without a round trip.
  assert.deepEqual(local.map((m) => m.topic), ["ping.one", "ping.two"]);
});

Deno.test("MemoryBus.linkWorker() links a Worker through a MessagePort without loss", async () => {
  await using hub = new MemoryBus({ broadcast: false, logger: quiet });
  const link = hub.linkWorker();
  let pongs = 0;
  hub.subscribe("pong.*", () => {
    pongs++;
  }, { queueSize: 10_000 });
  await using _worker = await startEchoWorker({ port: link.port });
  // A burst far beyond what BroadcastChannel keeps in flight.
  for (let i = 0; i < 5_000; i++) hub.publish("ping.burst", { i });
  await waitUntil(() => pongs === 5_000, { intervalMs: 5, what: `5000 pongs (have ${pongs})` });
  assert.equal(hub.stats().lost, 0);
  assert.equal(hub.stats().dropped, 0);
});

Deno.test("MemoryBus.stats() counts what the BroadcastChannel dropped", async () => {
  const channel = `lossy-${crypto.randomUUID()}`;
  await using sender = new MemoryBus({ channel, logger: quiet });
  await using receiver = new MemoryBus({ channel, logger: quiet });
  const seen: number[] = [];
  receiver.subscribe("burst.*", ({ payload }) => {
    seen.push(payload.i as number);
  }, { queueSize: 10_000 });
  const total = 2_000;
  for (let i = 0; i < total; i++) sender.publish("burst.x", { i });
  await waitUntil(() => seen.at(-1) === total - 1, { intervalMs: 5, what: "last message" });
  // Whatever the channel kept plus what it is known to have lost accounts for every message.
  assert.equal(seen.length + receiver.stats().lost, total);
});
