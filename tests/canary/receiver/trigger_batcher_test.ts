import assert from "node:assert/strict";
import { TokenCache } from "../../../canary/receiver/token_cache.ts";
import { TriggerBatcher } from "../../../canary/receiver/trigger_batcher.ts";
import type { TriggerRecord } from "../../../canary/receiver/mod.ts";
import { MemoryTriggerSink } from "./_memory_trigger_sink.ts";

function trigger(i: number): TriggerRecord {
  return {
    tokenUuid: "tok-1",
    occurredAt: new Date(0),
    srcIp: "192.0.2.1",
    userAgent: null,
    method: "GET",
    requestPath: `/c/x/${i}`,
    dnsQname: null,
    dnsClientSubnet: null,
    headers: {},
  };
}

Deno.test("TriggerBatcher.record() groups concurrent triggers into one recordTriggers call", async () => {
  const sink = new MemoryTriggerSink();
  const batches: number[] = [];
  const batching = Object.assign(sink, {
    recordTriggers(ts: TriggerRecord[]) {
      batches.push(ts.length);
      sink.triggers.push(...ts);
      return Promise.resolve();
    },
  });
  const batcher = new TriggerBatcher(batching);
  await Promise.all(Array.from({ length: 10 }, (_, i) => batcher.record(trigger(i))));
  assert.deepEqual(batches, [10]);
  assert.equal(sink.triggers.length, 10);
});

Deno.test("TriggerBatcher.record() falls back to recordTrigger and reports failures", async () => {
  const sink = new MemoryTriggerSink();
  const batcher = new TriggerBatcher(sink);
  await Promise.all([batcher.record(trigger(1)), batcher.record(trigger(2))]);
  assert.equal(sink.triggers.length, 2);
  sink.recordTrigger = () => Promise.reject(new Error("disk full"));
  await assert.rejects(batcher.record(trigger(3)), /disk full/);
});

Deno.test("TokenCache.lookup() reuses found and missing answers until the TTL", async () => {
  const cache = new TokenCache({ ttlMs: 1000 });
  let calls = 0;
  const fetch = (s: string) => {
    calls++;
    return Promise.resolve(s === "a" ? { uuid: "u", callbackToken: "a" } : null);
  };
  assert.deepEqual(await cache.lookup("a", 0, fetch), { uuid: "u", callbackToken: "a" });
  assert.equal(await cache.lookup("b", 0, fetch), null);
  await cache.lookup("a", 999, fetch);
  await cache.lookup("b", 999, fetch);
  assert.equal(calls, 2);
  await cache.lookup("a", 1000, fetch);
  assert.equal(calls, 3);
});

Deno.test("TriggerBatcher.record() writes before a zero-delay timer set just before it fires", async () => {
  // From an I/O completion, as a listener records: immediates run before the next timers.
  await Deno.stat(".");
  const sink = new MemoryTriggerSink();
  let storedWhenTimerFired = -1;
  const timer = new Promise<void>((resolve) =>
    setTimeout(() => {
      storedWhenTimerFired = sink.triggers.length;
      resolve();
    }, 0)
  );
  const recorded = new TriggerBatcher(sink).record(trigger(1));
  await Promise.all([timer, recorded]);
  assert.equal(storedWhenTimerFired, 1, "the write waited for a timer (~2 ms in Deno)");
});

Deno.test("TriggerBatcher.settle() gives the waiters of one turn one promise and one sink settle", async () => {
  const sink = new MemoryTriggerSink();
  let settles = 0;
  const settling = Object.assign(sink, {
    settle() {
      settles++;
      return Promise.resolve();
    },
  });
  const batcher = new TriggerBatcher(settling);
  const waits = Array.from({ length: 5 }, () => batcher.settle());
  assert.ok(waits.every((w) => w === waits[0]));
  await Promise.all(waits);
  assert.equal(settles, 1);
  // A later turn waits for the next write, not for the one already done.
  const later = batcher.settle();
  assert.notEqual(later, waits[0]);
  await later;
  assert.equal(settles, 2);
});

Deno.test("TriggerBatcher.settle() resolves after the triggers of its turn are stored, rejects with the sink's error", async () => {
  const sink = new MemoryTriggerSink();
  const batcher = new TriggerBatcher(sink);
  let storedWhenSettled = -1;
  const settled = batcher.settle().then(() => storedWhenSettled = sink.triggers.length);
  await Promise.all([batcher.record(trigger(1)), settled]);
  assert.equal(storedWhenSettled, 1);

  const failing = Object.assign(new MemoryTriggerSink(), {
    settle: () => Promise.reject(new Error("disk full")),
  });
  await assert.rejects(new TriggerBatcher(failing).settle(), /disk full/);
});
