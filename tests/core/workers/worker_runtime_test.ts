import assert from "node:assert/strict";
import { controlTopic, MemoryBus, TOPIC_PATTERNS } from "../../../core/bus/mod.ts";
import type { BusPayload } from "../../../core/bus/mod.ts";
import { loadConfig } from "../../../core/config/mod.ts";
import { Logger } from "../../../core/log/mod.ts";
import { defineWorker, runWorker, WorkerHealthTracker } from "../../../core/workers/mod.ts";
import type { WorkerDefinition } from "../../../core/workers/mod.ts";
import { waitUntil } from "../../infra/wait_until.ts";

const config = loadConfig({}, {
  readTextFile: () => {
    throw new Deno.errors.NotFound("none");
  },
});
const quiet = new Logger({ level: "error", sink: () => {} });
const job: WorkerDefinition = {
  name: "job",
  description: "test job",
  critical: false,
  configKeys: [],
  needs: () => ({ listen: [], connect: [], database: false, docker: false, read: [], write: [] }),
  start: () => Promise.resolve({ extras: () => ({ ticks: 3 }), close: () => Promise.resolve() }),
};

Deno.test("runWorker() heartbeats at start and again when a late tracker asks for a report", async () => {
  await using bus = new MemoryBus({ broadcast: false });
  const beats: BusPayload[] = [];
  bus.subscribe(TOPIC_PATTERNS.health, ({ payload }) => void beats.push(payload));
  const running = await runWorker(job, config, { bus, log: quiet, restarts: 2, peers: ["job"] });
  try {
    await waitUntil(() => beats.length === 1, { what: "first beat" });
    assert.equal(beats[0].restarts, 2);
    assert.deepEqual((beats[0].details as Record<string, unknown>).ticks, 3);
    const { heap_used_bytes: used, heap_total_bytes: total } = beats[0].details as Record<
      string,
      number
    >;
    assert.ok(used > 0 && used <= total, `heap ${used}/${total}`);
    using tracker = new WorkerHealthTracker(bus, { expected: ["job"] });
    await waitUntil(() => tracker.snapshot(new Date())[0].healthy, {
      what: "tracker hears the job",
    });
    assert.equal(beats.length, 2);
  } finally {
    await running.close();
  }
});

Deno.test("runWorker() asks to stop when told over the bus", async () => {
  await using bus = new MemoryBus({ broadcast: false });
  let stopRequested = false;
  const running = await runWorker(job, config, {
    bus,
    log: quiet,
    restarts: 0,
    peers: [],
    onStopRequested: () => stopRequested = true,
  });
  bus.publish(controlTopic("job"), { action: "stop", at: new Date().toISOString() });
  await waitUntil(() => stopRequested, { what: "stop request" });
  await running.close();
});

Deno.test("runWorker() hands start() only the configuration fields the worker declares", async () => {
  await using bus = new MemoryBus({ broadcast: false });
  const secretConfig = { ...config, jwtSecret: "j".repeat(40), adminPassword: "hunter2hunter2" };
  let received: Record<string, unknown> = {};
  const zoneOnly = defineWorker({
    ...job,
    configKeys: ["canaryDnsZone", "logLevel"],
    start: (scoped) => {
      received = { ...scoped };
      return Promise.resolve({ close: () => Promise.resolve() });
    },
  });
  const running = await runWorker(zoneOnly, secretConfig, {
    bus,
    log: quiet,
    restarts: 0,
    peers: [],
  });
  await running.close();
  assert.deepEqual(received, { canaryDnsZone: config.canaryDnsZone, logLevel: config.logLevel });
});
