import assert from "node:assert/strict";
import { join } from "node:path";
import { alertsWorker } from "../../../core/alerts/alerts_worker.ts";
import { canaryTopic, MemoryBus } from "../../../core/bus/mod.ts";
import { createRepositories, openMigratedDatabase } from "../../../core/db/mod.ts";
import type { Repositories } from "../../../core/db/mod.ts";
import { Logger } from "../../../core/log/mod.ts";
import { waitUntil } from "../../infra/wait_until.ts";
import { makeTokenInput } from "../../web/_token_fixture.ts";
import { makeRuleInput } from "../db/alerts_contract.ts";
import { startWebhookReceiver } from "./_webhook_receiver.ts";

const SECRET = "a shared secret for tests";
const quiet = new Logger({ level: "error", sink: () => {} });

/** Records one trigger on token `n` (each its own token, so none is throttled) and announces it. */
async function trip(repos: Repositories, bus: MemoryBus | null, n: number): Promise<void> {
  const uuid = `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
  await repos.canary.insertToken(
    makeTokenInput({ uuid, callback_token: `slug${String(n).padStart(18, "0")}` }),
  );
  const { stored } = await repos.canary.recordTrigger({
    tokenUuid: uuid,
    occurredAt: new Date(Date.UTC(2026, 11, 1, 10, 0, n)),
    srcIp: "192.0.2.9",
    userAgent: "curl/8.0",
    method: "GET",
    requestPath: `/c/slug${n}`,
    dnsQname: null,
    dnsClientSubnet: null,
    headers: {},
  });
  bus?.publish(canaryTopic(uuid, "triggered"), { ...stored[0], event: "triggered" });
}

Deno.test("alerts worker delivers every webhook alert once by id across a restart, with receivers down mid-burst", async () => {
  const home = await Deno.makeTempDir();
  try {
    const dbUrl = `sqlite:${join(home, "decnet.db")}`;
    await using handle = await openMigratedDatabase(dbUrl);
    const repos = createRepositories(handle);
    const { alerts } = repos;
    const first = startWebhookReceiver({ secret: SECRET });
    const channel = await alerts.createChannel({
      name: "hook",
      kind: "webhook",
      config: { type: "webhook", url: first.url, secret: SECRET, timeout_ms: 1000 },
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

    // A trigger stored before the worker ever ran is history, not an alert.
    await trip(repos, null, 99);
    let worker = await start();
    for (let n = 0; n < 20; n++) await trip(repos, bus, n);
    await waitUntil(() => first.processed.size >= 5, { what: "the first alerts" });
    // The receiver goes away mid-burst; more triggers arrive, some while the worker is down.
    await first.close();
    for (let n = 20; n < 30; n++) await trip(repos, bus, n);
    await worker.close();
    for (let n = 30; n < 40; n++) await trip(repos, null, n);
    worker = await start();
    // The receiver's store of processed ids outlives its restart, as a real one's would.
    await using second = startWebhookReceiver({
      secret: SECRET,
      port: first.port,
      processed: first.processed,
    });
    const delivered = async () =>
      (await alerts.listDeliveries({ state: "delivered", limit: 1, offset: 0 })).total;
    await waitUntil(async () => await delivered() === 40, { what: "40 delivered" });
    await worker.close();

    const queued = (await alerts.listDeliveries({ limit: 100, offset: 0 })).items;
    const ids = queued.map((d) => d.alert_id).sort();
    assert.equal(new Set(ids).size, 40);
    // Every alert processed once, by id.
    assert.deepEqual([...second.processed.keys()].sort(), ids);
    assert.ok(first.requests.length >= 5 && second.requests.length >= 20);
    // A request cut by the receiver's shutdown may be sent again: at least once, repeats dropped by id.
    const repeats = first.requests.length + second.requests.length - 40;
    console.log(`webhook repeats dropped by id: ${repeats}`);
    const sample = queued.find((d) =>
      (d.payload as { token?: { uuid: string } }).token?.uuid.endsWith("000000000007")
    )!.payload as Record<string, unknown>;
    assert.equal(sample.kind, "canary_triggered");
    assert.equal(sample.severity, "critical");
    assert.equal(sample.src_ip, "192.0.2.9");
    assert.equal(sample.request_path, "/c/slug7");
    assert.equal(
      sample.dashboard_url,
      "https://dash.example/canary/00000000-0000-4000-8000-000000000007",
    );
    assert.equal(
      (sample.token as { placement_path: string }).placement_path,
      "/root/.aws/credentials",
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
