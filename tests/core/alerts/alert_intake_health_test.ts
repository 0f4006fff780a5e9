import assert from "node:assert/strict";
import { AlertIntake } from "../../../core/alerts/alert_intake.ts";
import { controlTopic, healthTopic, MemoryBus } from "../../../core/bus/mod.ts";
import type { BusPayload, HealthPayload } from "../../../core/bus/mod.ts";
import { createRepositories, openMigratedDatabase } from "../../../core/db/mod.ts";
import { Logger } from "../../../core/log/mod.ts";
import { waitUntil } from "../../infra/wait_until.ts";
import { makeRuleInput } from "../db/alerts_contract.ts";

const quiet = new Logger({ level: "error", sink: () => {} });

function failing(at: string, worker = "collector"): HealthPayload {
  return {
    worker,
    status: "failing",
    state: "restarting",
    at,
    uptime_seconds: 0,
    restarts: 1,
    last_error: "boom",
  };
}

Deno.test("AlertIntake asks its peers to report at start and alerts once per worker failure, across restarts", async () => {
  await using handle = await openMigratedDatabase("sqlite::memory:");
  const { alerts } = createRepositories(handle);
  const channel = await alerts.createChannel({
    name: "file",
    kind: "file",
    config: { type: "file", path: "/tmp/unused.jsonl" },
  });
  await alerts.createRule(makeRuleInput({
    name: "workers",
    events: ["worker_unhealthy"],
    throttle_seconds: 0,
    dedupe_by: ["worker"],
    channel_ids: [channel.id],
  }));
  await using bus = new MemoryBus({ channel: crypto.randomUUID(), logger: quiet });
  const requests: BusPayload[] = [];
  bus.subscribe(controlTopic("collector"), ({ payload }) => void requests.push(payload));
  const start = async () => {
    const intake = new AlertIntake({
      repository: alerts,
      bus,
      log: quiet,
      dashboardUrl: "",
      onQueued: () => {},
      peers: ["collector"],
    });
    await intake.start();
    return intake;
  };
  const queued = async () => (await alerts.listDeliveries({ limit: 10, offset: 0 })).total;
  const crash = "2026-12-01T10:00:00.000Z";

  let intake = await start();
  await waitUntil(() => requests.length === 1, { what: "a report request" });
  assert.equal(requests[0].action, "report");
  bus.publish(healthTopic("collector"), failing(crash));
  await waitUntil(async () => await queued() === 1, { what: "the failure alert" });
  // The same failure re-announced (a report answered) is no new alert, nor a counted repeat.
  bus.publish(healthTopic("collector"), failing(crash));
  // Handled in order: once the next worker's failure is queued, the repeat was handled before it.
  bus.publish(healthTopic("sniffer"), failing(crash, "sniffer"));
  await waitUntil(async () => await queued() === 2, { what: "the other worker's alert" });
  assert.equal(intake.stats().events, 2);
  await intake.close();

  intake = await start();
  await waitUntil(() => requests.length === 2, { what: "a report request after the restart" });
  bus.publish(healthTopic("collector"), failing(crash));
  bus.publish(healthTopic("collector"), failing("2026-12-01T10:05:00.000Z"));
  await waitUntil(async () => await queued() === 3, { what: "the next failure's alert" });
  await intake.close();
  assert.equal(await queued(), 3);
  assert.deepEqual(await alerts.listThrottle(), []);
});
