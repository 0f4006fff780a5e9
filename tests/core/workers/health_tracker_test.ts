import assert from "node:assert/strict";
import { MemoryBus } from "../../../core/bus/mod.ts";
import { WorkerHealthTracker } from "../../../core/workers/mod.ts";

Deno.test("WorkerHealthTracker judges workers healthy only when running and heard from within 90 s", async () => {
  await using bus = new MemoryBus({ channel: `t-${crypto.randomUUID()}` });
  using tracker = new WorkerHealthTracker(bus, { expected: ["api", "canary", "reconciler"] });
  const t0 = Date.parse("2026-11-18T14:00:00Z");
  tracker.record({
    worker: "api",
    status: "ok",
    state: "running",
    restarts: 2,
    uptime_seconds: 5,
    details: { url: "x" },
  }, t0);
  tracker.record({
    worker: "canary",
    status: "failing",
    state: "restarting",
    restarts: 1,
    uptime_seconds: 0,
    last_error: "Cannot listen on 0.0.0.0:53: address in use",
  }, t0);
  const now = tracker.snapshot(new Date(t0 + 1000));
  assert.deepEqual(now.map((w) => [w.name, w.healthy, w.state, w.restarts]), [
    ["api", true, "running", 2],
    ["canary", false, "restarting", 1],
    ["reconciler", false, "unknown", 0],
  ]);
  assert.deepEqual(now[0].extras, { url: "x" });
  assert.deepEqual(now.map((w) => w.last_error), [
    null,
    "Cannot listen on 0.0.0.0:53: address in use",
    null,
  ]);
  const later = tracker.snapshot(new Date(t0 + 91_000));
  assert.equal(later[0].healthy, false);
  assert.equal(later[0].state, "silent");
});
