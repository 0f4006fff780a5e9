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
async function startEchoWorker(channel: string): Promise<AsyncDisposable> {
  const worker = new Worker(new URL("../../testdata/bus/echo_worker.ts", import.meta.url), {
    type: "module",
  });
  const replies: unknown[] = [];
  worker.onmessage = (e) => replies.push(e.data);
  worker.postMessage({ channel });
  await waitUntil(() => replies.includes("subscribed"), { intervalMs: 5, what: "worker" });
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
  await using _worker = await startEchoWorker(channel);
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
