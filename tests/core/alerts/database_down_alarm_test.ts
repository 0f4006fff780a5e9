import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseDownAlarm } from "../../../core/alerts/database_down_alarm.ts";
import { createChannel } from "../../../core/alerts/channels/factory.ts";
import { createRepositories, DatabaseProbe, openMigratedDatabase } from "../../../core/db/mod.ts";
import type { AlertChannelRecord, AlertRuleRecord, DbHandle } from "../../../core/db/mod.ts";
import { Logger } from "../../../core/log/mod.ts";
import { waitUntil } from "../../infra/wait_until.ts";
import { makeRuleInput } from "../db/alerts_contract.ts";
import { startWebhookReceiver } from "./_webhook_receiver.ts";

const SECRET = "a shared secret for tests";
const quiet = new Logger({ level: "error", sink: () => {} });

Deno.test("DatabaseDownAlarm sends one alarm per outage from memory, and from its file after a restart", async () => {
  const home = await Deno.makeTempDir();
  const file = join(home, "alerts", "database_down.json");
  try {
    const dbUrl = `sqlite:${join(home, "decnet.db")}`;
    let handle: DbHandle = await openMigratedDatabase(dbUrl);
    const { alerts } = createRepositories(handle);
    let receiver = startWebhookReceiver({ secret: SECRET, status: () => 503 });
    const port = receiver.port;
    const channel = await alerts.createChannel({
      name: "hook",
      kind: "webhook",
      config: { type: "webhook", url: receiver.url, secret: SECRET, timeout_ms: 1000 },
    });
    await alerts.createRule(
      makeRuleInput({ name: "db", events: ["database_down"], channel_ids: [channel.id] }),
    );
    await alerts.createRule(makeRuleInput({ name: "other", channel_ids: [channel.id] }));
    // What the worker read while the database answered.
    const targets: { channels: AlertChannelRecord[]; rules: AlertRuleRecord[] } = {
      channels: await alerts.listChannels(),
      rules: await alerts.listRules(),
    };
    let probe = new DatabaseProbe(handle.db, { intervalMs: 60_000 });
    const alarm = (n: number) =>
      new DatabaseDownAlarm({
        file,
        probe: () => probe.probe(),
        targets: () => targets,
        openChannel: (config) => createChannel(config),
        log: quiet,
        intervalMs: 20,
        now: () => new Date(Date.UTC(2026, 11, 1, 10, n)),
      });

    // The database goes down while the receiver refuses: the alarm waits in its file.
    await handle.close();
    let running = alarm(0);
    await running.start();
    await waitUntil(() => receiver.requests.length >= 2, { what: "attempts" });
    await running.close();
    const saved = JSON.parse(await Deno.readTextFile(file));
    assert.equal(saved.down, true);
    assert.equal(saved.alarms.length, 1);
    assert.equal((await Deno.stat(file)).mode! & 0o777, 0o600);

    // Restarted during the same outage, with the receiver back: the same alarm, once.
    await receiver.close();
    receiver = startWebhookReceiver({ secret: SECRET, port });
    running = alarm(5);
    await running.start();
    await waitUntil(() => receiver.processed.size === 1, { what: "the alarm" });
    await waitUntil(async () => JSON.parse(await Deno.readTextFile(file)).alarms.length === 0);
    const [sent] = receiver.processed.values();
    assert.equal(sent.kind, "database_down");
    assert.equal(sent.rule, "db");
    assert.equal(sent.occurred_at, "2026-12-01T10:00:00.000Z");
    // The reason is the driver's own words for the closed handle.
    assert.ok(String(sent.reason).length > 0);
    assert.equal(sent.summary, `The alerts worker cannot reach the database: ${sent.reason}`);
    assert.equal(running.stats().database_alarms, 0);

    // The database answers again: the outage is over and the file gone; the next one alarms anew.
    probe[Symbol.dispose]();
    handle = await openMigratedDatabase(dbUrl);
    probe = new DatabaseProbe(handle.db, { intervalMs: 60_000 });
    await waitUntil(async () => !(await Deno.stat(file).then(() => true, () => false)));
    probe[Symbol.dispose]();
    await handle.close();
    await waitUntil(() => receiver.processed.size === 2, { what: "the second outage's alarm" });
    assert.equal(running.stats().database_alarms, 1);
    await running.close();
    await receiver.close();
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
