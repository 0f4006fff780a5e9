import assert from "node:assert/strict";
import { join } from "node:path";
import { alertsWorker } from "../../../core/alerts/alerts_worker.ts";
import { canaryTopic, MemoryBus } from "../../../core/bus/mod.ts";
import type { CanaryTriggeredPayload } from "../../../core/bus/mod.ts";
import { createRepositories, openMigratedDatabase } from "../../../core/db/mod.ts";
import { Logger } from "../../../core/log/mod.ts";
import { waitUntil } from "../../infra/wait_until.ts";
import { makeRuleInput } from "../db/alerts_contract.ts";
import { startWebhookReceiver, type WebhookReceiver } from "./_webhook_receiver.ts";

const SECRET = "a shared secret for tests";
const quiet = new Logger({ level: "error", sink: () => {} });

function trigger(n: number): CanaryTriggeredPayload {
  return {
    event: "triggered",
    id: n,
    token_uuid: `token-${n}`,
    token_kind: "http",
    decky_name: "web-01",
    occurred_at: new Date(Date.UTC(2026, 11, 1, 10, 0, n)).toISOString(),
    channel: "http",
    src_ip: "192.0.2.9",
    user_agent: "curl/8.0",
    method: "GET",
    request_path: `/c/slug${n}`,
    dns_qname: null,
    dns_client_subnet: null,
    headers: {},
    hit_count: 1,
    last_at: null,
    rollup_scope: null,
  };
}

Deno.test("alerts worker delivers every webhook alert once by id across a worker restart with receivers down mid-burst", async () => {
  const home = await Deno.makeTempDir();
  try {
    const dbUrl = `sqlite:${join(home, "decnet.db")}`;
    const handle = await openMigratedDatabase(dbUrl);
    const { alerts } = createRepositories(handle);
    let receiver: WebhookReceiver = startWebhookReceiver({ secret: SECRET });
    const port = receiver.port;
    const channel = await alerts.createChannel({
      name: "hook",
      kind: "webhook",
      config: { type: "webhook", url: receiver.url, secret: SECRET, timeout_ms: 1000 },
    });
    await alerts.createRule(makeRuleInput({ channel_ids: [channel.id], severity: "critical" }));
    const config = {
      dbUrl,
      home,
      dashboardUrl: "https://dash.example",
      alertsDisableAfter: 1000,
      alertsRetryMaxSeconds: 1,
    };
    await using bus = new MemoryBus({ channel: crypto.randomUUID(), logger: quiet });
    const start = () => alertsWorker.start(config, { log: quiet, bus, peers: [] });

    let worker = await start();
    for (let n = 0; n < 20; n++) bus.publish(canaryTopic(`token-${n}`, "triggered"), trigger(n));
    await waitUntil(() => receiver.processed.size >= 5, { what: "the first alerts" });
    // The receiver goes away mid-burst, the rest of the burst arrives, and the worker restarts.
    await receiver.close();
    for (let n = 20; n < 40; n++) bus.publish(canaryTopic(`token-${n}`, "triggered"), trigger(n));
    await waitUntil(
      async () => (await alerts.listDeliveries({ limit: 1, offset: 0 })).total === 40,
      { what: "40 queued" },
    );
    const before = receiver.processed;
    await worker.close();
    worker = await start();
    receiver = startWebhookReceiver({ secret: SECRET, port });
    await waitUntil(
      async () =>
        (await alerts.listDeliveries({ state: "delivered", limit: 1, offset: 0 })).total === 40,
      {
        what: "40 delivered",
      },
    );
    await worker.close();
    await receiver.close();

    const queued = (await alerts.listDeliveries({ limit: 100, offset: 0 })).items;
    const received = new Map([...before, ...receiver.processed]);
    assert.deepEqual([...received.keys()].sort(), queued.map((d) => d.alert_id).sort());
    // Each id processed by exactly one of the two receivers.
    assert.equal(before.size + receiver.processed.size, 40);
    const sample = received.get(
      queued.find((d) =>
        d.payload && (d.payload as { token?: { uuid: string } }).token?.uuid === "token-7"
      )!.alert_id,
    )!;
    assert.equal(sample.kind, "canary_triggered");
    assert.equal(sample.severity, "critical");
    assert.equal(sample.src_ip, "192.0.2.9");
    assert.equal(sample.dashboard_url, "https://dash.example/canary/token-7");
    assert.equal(sample.rule, "canaries");
    await handle.close();
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
