import assert from "node:assert/strict";
import { AlertDelivery } from "../../../core/alerts/alert_delivery.ts";
import { createChannel } from "../../../core/alerts/channels/factory.ts";
import { createRepositories, migrateToLatest, openDatabase } from "../../../core/db/mod.ts";
import type { AlertsRepository } from "../../../core/db/mod.ts";
import { Logger } from "../../../core/log/mod.ts";
import { waitUntil } from "../../infra/wait_until.ts";
import { startWebhookReceiver } from "./_webhook_receiver.ts";

const SECRET = "a shared secret for tests";
const quiet = new Logger({ level: "error", sink: () => {} });

async function withOutbox(fn: (alerts: AlertsRepository) => Promise<void>): Promise<void> {
  await using handle = await openDatabase("sqlite::memory:");
  assert.equal((await migrateToLatest(handle)).error, undefined);
  await fn(createRepositories(handle).alerts);
}

async function queue(alerts: AlertsRepository, channelId: number, ids: string[]): Promise<void> {
  await alerts.commitAlerts({
    throttle: [],
    alerts: ids.map((id) => ({
      alert_id: id,
      channel_ids: [channelId],
      payload: {
        id,
        kind: "canary_triggered",
        severity: "high",
        occurred_at: "2026-12-01T10:00:00.000Z",
        title: "Canary token triggered",
        summary: "test",
        suppressed_count: 0,
      },
    })),
  });
}

function delivery(alerts: AlertsRepository, disableAfter = 10): AlertDelivery {
  return new AlertDelivery({
    repository: alerts,
    openChannel: (config) => createChannel(config),
    log: quiet,
    disableAfter,
    retry: { baseMs: 10, maxMs: 40 },
    idleMs: 50,
  });
}

Deno.test("AlertDelivery delivers an alert exactly once to a receiver that fails three times first", async () => {
  await withOutbox(async (alerts) => {
    await using receiver = startWebhookReceiver({
      secret: SECRET,
      status: (n) => n < 3 ? 500 : 200,
    });
    const channel = await alerts.createChannel({
      name: "hook",
      kind: "webhook",
      config: { type: "webhook", url: receiver.url, secret: SECRET },
    });
    await queue(alerts, channel.id, ["a-1"]);
    await using sender = delivery(alerts);
    sender.start();
    await waitUntil(async () =>
      (await alerts.listDeliveries({ state: "delivered", limit: 1, offset: 0 })).total === 1
    );
    assert.deepEqual(receiver.requests, ["a-1", "a-1", "a-1", "a-1"]);
    assert.deepEqual([...receiver.processed.keys()], ["a-1"]);
    assert.equal(receiver.badSignatures, 0);
    const [row] = (await alerts.listDeliveries({ limit: 1, offset: 0 })).items;
    assert.equal(row.attempts, 4);
    assert.equal((await alerts.getChannel(channel.id))?.consecutive_failures, 0);
    assert.equal(sender.stats().delivered, 1);
    assert.equal(sender.stats().failed_attempts, 3);
  });
});

Deno.test("AlertDelivery disables a channel after N consecutive failures, naming the reason", async () => {
  await withOutbox(async (alerts) => {
    await using receiver = startWebhookReceiver({ secret: SECRET, status: () => 503 });
    const channel = await alerts.createChannel({
      name: "down",
      kind: "webhook",
      config: { type: "webhook", url: receiver.url, secret: SECRET },
    });
    await queue(alerts, channel.id, ["b-1", "b-2"]);
    await using sender = delivery(alerts, 3);
    sender.start();
    await waitUntil(async () => (await alerts.getChannel(channel.id))?.enabled === false);
    const stored = await alerts.getChannel(channel.id);
    assert.match(stored?.disabled_reason ?? "", /^3 consecutive failures; last: .*503/);
    // One alert at a time per channel: the second waited behind the first.
    assert.deepEqual(receiver.requests, ["b-1", "b-1", "b-1"]);
    assert.equal((await alerts.listDeliveries({ state: "pending", limit: 5, offset: 0 })).total, 2);
    assert.equal(sender.stats().channels_disabled, 1);
  });
});

Deno.test("AlertDelivery gives up an alert the receiver refuses for good", async () => {
  await withOutbox(async (alerts) => {
    await using receiver = startWebhookReceiver({
      secret: SECRET,
      status: (n) => n === 0 ? 404 : 200,
    });
    const channel = await alerts.createChannel({
      name: "gone",
      kind: "webhook",
      config: { type: "webhook", url: receiver.url, secret: SECRET },
    });
    await queue(alerts, channel.id, ["c-1", "c-2"]);
    await using sender = delivery(alerts);
    sender.start();
    await waitUntil(async () =>
      (await alerts.listDeliveries({ state: "delivered", limit: 1, offset: 0 })).total === 1
    );
    const failed = await alerts.listDeliveries({ state: "failed", limit: 5, offset: 0 });
    assert.deepEqual(failed.items.map((d) => [d.alert_id, d.attempts]), [["c-1", 1]]);
    assert.match(failed.items[0].last_error ?? "", /404/);
    assert.deepEqual(receiver.requests, ["c-1", "c-2"]);
  });
});
