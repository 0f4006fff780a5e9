import assert from "node:assert/strict";
import { createRepositories, emptyRollup, migrateToLatest } from "../../../core/db/mod.ts";
import type { AlertRuleInput, DbHandle, Repositories } from "../../../core/db/mod.ts";
import type { MakeHandle } from "./repository_contract.ts";

/** A valid rule with defaults (canary triggers, throttled per token and source). */
export function makeRuleInput(fields: Partial<AlertRuleInput> = {}): AlertRuleInput {
  return {
    name: "canaries",
    events: ["canary_triggered"],
    filter_token: null,
    filter_decky: null,
    filter_kind: null,
    severity: "high",
    throttle_seconds: 600,
    dedupe_by: ["token", "source"],
    digest_seconds: 0,
    channel_ids: [],
    enabled: true,
    ...fields,
  };
}

/** The alerts repository contract, run against SQLite and a real MariaDB. */
export async function runAlertsContract(
  t: Deno.TestContext,
  makeHandle: MakeHandle,
): Promise<void> {
  const now = new Date("2026-12-01T10:00:00.000Z");
  const step = (name: string, fn: (repos: Repositories, handle: DbHandle) => Promise<void>) =>
    t.step(name, async () => {
      await using handle = await makeHandle();
      assert.equal((await migrateToLatest(handle)).error, undefined);
      await fn(createRepositories(handle, { clock: () => now }), handle);
    });

  await step(
    "createChannel() stores the config and updateChannel() re-enables it",
    async ({ alerts }) => {
      const created = await alerts.createChannel({
        name: "hook",
        kind: "webhook",
        config: { url: "http://127.0.0.1:9/x", secret: "s3cret" },
      });
      assert.equal(created.enabled, true);
      assert.deepEqual(created.config, { url: "http://127.0.0.1:9/x", secret: "s3cret" });
      await assert.rejects(alerts.createChannel({ name: "hook", kind: "file", config: {} }));
      const off = await alerts.updateChannel(created.id, { enabled: false });
      assert.equal(off?.enabled, false);
      assert.equal(await alerts.updateChannel(999, { enabled: true }), undefined);
      assert.equal((await alerts.listChannels()).length, 1);
    },
  );

  await step("createRule() and replaceRule() keep lists and filters", async ({ alerts }) => {
    const rule = await alerts.createRule(
      makeRuleInput({ channel_ids: [3, 4], filter_decky: "web-01" }),
    );
    assert.deepEqual(rule.events, ["canary_triggered"]);
    assert.deepEqual(rule.channel_ids, [3, 4]);
    assert.deepEqual(rule.dedupe_by, ["token", "source"]);
    assert.equal(rule.filter_decky, "web-01");
    const replaced = await alerts.replaceRule(
      rule.id,
      makeRuleInput({ dedupe_by: [], enabled: false }),
    );
    assert.deepEqual(replaced?.dedupe_by, []);
    assert.equal(replaced?.enabled, false);
    assert.equal(await alerts.deleteRule(rule.id), true);
    assert.equal(await alerts.deleteRule(rule.id), false);
  });

  await step(
    "commitAlerts() stores windows and queues each alert once per channel",
    async ({ alerts }) => {
      const a = await alerts.createChannel({ name: "a", kind: "file", config: {} });
      const b = await alerts.createChannel({ name: "b", kind: "file", config: {} });
      const window = {
        rule_id: 1,
        dedupe_key: "t1|192.0.2.9",
        window_start: now.toISOString(),
        window_end: "2026-12-01T10:10:00.000Z",
        suppressed: 0,
        digest: null,
      };
      const alert = { alert_id: "al-1", channel_ids: [a.id, b.id], payload: { title: "x" } };
      assert.equal(await alerts.commitAlerts({ throttle: [window], alerts: [alert] }), 2);
      // The same alert again (a replay after a crash) adds nothing; the window is replaced.
      assert.equal(
        await alerts.commitAlerts({ throttle: [{ ...window, suppressed: 5 }], alerts: [alert] }),
        0,
      );
      assert.deepEqual(await alerts.listThrottle(), [{ ...window, suppressed: 5 }]);
      await alerts.commitAlerts({ throttle: [], clear: [window], alerts: [] });
      assert.deepEqual(await alerts.listThrottle(), []);
      assert.equal(await alerts.cursor("canary_triggers"), undefined);
      for (const position of [7, 9]) {
        await alerts.commitAlerts({
          throttle: [],
          alerts: [],
          cursors: [{ stream: "canary_triggers", position }],
        });
      }
      assert.equal(await alerts.cursor("canary_triggers"), 9);
      const due = await alerts.dueDeliveries(now, 10);
      assert.deepEqual(due.map((d) => [d.alert_id, d.channel_id]), [["al-1", a.id], [
        "al-1",
        b.id,
      ]]);
      assert.deepEqual(due[0].payload, { title: "x" });
    },
  );

  await step(
    "markFailed() backs off, then disables the channel with the reason",
    async ({ alerts }) => {
      const c = await alerts.createChannel({ name: "c", kind: "webhook", config: {} });
      await alerts.commitAlerts({
        throttle: [],
        alerts: [{ alert_id: "al-2", channel_ids: [c.id], payload: {} }],
      });
      const [d] = await alerts.dueDeliveries(now, 10);
      const retryAt = new Date(now.getTime() + 2000);
      assert.equal(
        await alerts.markFailed(d, { error: "HTTP 500", retryAt, disableAfter: 2 }),
        false,
      );
      assert.deepEqual(await alerts.dueDeliveries(now, 10), []);
      assert.deepEqual(await alerts.nextDueAt(), retryAt);
      assert.equal(
        await alerts.markFailed(d, { error: "HTTP 503", retryAt, disableAfter: 2 }),
        true,
      );
      const channel = await alerts.getChannel(c.id);
      assert.equal(channel?.enabled, false);
      assert.equal(channel?.disabled_reason, "2 consecutive failures; last: HTTP 503");
      // A disabled channel's deliveries wait; re-enabling it clears the count and the reason.
      assert.deepEqual(await alerts.dueDeliveries(retryAt, 10), []);
      assert.equal(await alerts.nextDueAt(), undefined);
      const again = await alerts.updateChannel(c.id, { enabled: true });
      assert.equal(again?.consecutive_failures, 0);
      assert.equal(again?.disabled_reason, null);
      const [retry] = await alerts.dueDeliveries(retryAt, 10);
      assert.equal(retry.attempts, 2);
      await alerts.markDelivered(retry);
      const listed = await alerts.listDeliveries({ state: "delivered", limit: 10, offset: 0 });
      assert.equal(listed.total, 1);
      assert.equal(listed.items[0].attempts, 3);
      assert.equal(listed.items[0].delivered_at, now.toISOString());
    },
  );

  await step("markFailed() without a retry time gives the delivery up", async ({ alerts }) => {
    const c = await alerts.createChannel({ name: "d", kind: "webhook", config: {} });
    await alerts.commitAlerts({
      throttle: [],
      alerts: [{ alert_id: "al-3", channel_ids: [c.id], payload: {} }],
    });
    const [d] = await alerts.dueDeliveries(now, 10);
    await alerts.markFailed(d, { error: "HTTP 404", retryAt: null, disableAfter: 5 });
    const failed = await alerts.listDeliveries({ state: "failed", limit: 10, offset: 0 });
    assert.deepEqual(failed.items.map((i) => i.last_error), ["HTTP 404"]);
    assert.equal((await alerts.listDeliveries({ alertId: "al-3", limit: 10, offset: 0 })).total, 1);
    assert.equal((await alerts.listDeliveries({ alertId: "al-9", limit: 10, offset: 0 })).total, 0);
    // Finished deliveries expire; a pending one stays however old.
    await alerts.commitAlerts({
      throttle: [],
      alerts: [{ alert_id: "al-4", channel_ids: [c.id], payload: {} }],
    });
    const later = new Date(now.getTime() + 1000);
    assert.equal(await alerts.pruneDeliveries({ before: later, limit: 10 }), 1);
    assert.deepEqual(
      (await alerts.listDeliveries({ limit: 10, offset: 0 })).items.map((d) => d.alert_id),
      ["al-4"],
    );
    await alerts.createRule(makeRuleInput({ name: "r1", channel_ids: [c.id] }));
    assert.deepEqual(await alerts.rulesUsingChannel(c.id), ["r1"]);
    // Removing the channel removes what it had still to deliver.
    assert.equal(await alerts.deleteChannel(c.id), true);
    assert.equal((await alerts.listDeliveries({ limit: 10, offset: 0 })).total, 0);
  });

  await step(
    "domain events record decky state changes, teardowns and campaign events in order",
    async ({ fleet, campaigns, alertSources }) => {
      assert.equal(await alertSources.newestId("domain_events"), 0);
      const decky = {
        hostUuid: "local",
        name: "web-01",
        ip: "192.0.2.10",
        services: ["ssh"],
        images: {},
        network: null,
        networkDriver: null,
        osPersona: "linux",
      };
      await fleet.upsert(decky, "pending");
      await fleet.upsert(decky, "running");
      await fleet.upsert(decky, "running"); // unchanged: nothing recorded
      await fleet.upsert(decky, "failed");
      assert.equal(await fleet.remove("local", "web-01"), true);
      assert.equal(await fleet.remove("local", "web-01"), false);
      await campaigns.saveClustering({
        identities: [],
        campaigns: [],
        events: [{ kind: "campaign_merged", payload: { campaign_id: "c2", other_id: "c1" } }],
      });
      const events = await alertSources.domainEventsAfter(0, 10);
      assert.deepEqual(
        events.map((
          e,
        ) => [
          e.kind,
          "from" in e.payload ? e.payload.from : e.payload.campaign_id,
          e.payload.to ?? null,
        ]),
        [
          ["decky_state", null, "pending"],
          ["decky_state", "pending", "running"],
          ["decky_state", "running", "failed"],
          ["decky_state", "failed", "torn_down"],
          ["campaign_merged", "c2", null],
        ],
      );
      assert.equal(events[0].payload.decky, "web-01");
      assert.equal(events[0].occurred_at, now.toISOString());
      const newest = await alertSources.newestId("domain_events");
      assert.equal(newest, events[4].id);
      assert.deepEqual((await alertSources.domainEventsAfter(events[2].id, 1)).map((e) => e.id), [
        events[3].id,
      ]);
      assert.equal(
        await alertSources.pruneDomainEvents({ before: new Date(now.getTime() + 1), limit: 3 }),
        3,
      );
      assert.equal((await alertSources.domainEventsAfter(0, 10)).length, 2);
    },
  );

  await step(
    "alertSources reads attackers, credentials (with their attacker) and audit entries after an id",
    async ({ alertSources }, handle) => {
      const at = now.toISOString();
      for (const ip of ["192.0.2.1", "192.0.2.2"]) {
        await handle.db.insertInto("attackers").values({
          ip,
          first_seen: at,
          last_seen: at,
          event_count: 1,
          credential_count: 0,
          command_count: 0,
          rollup: JSON.stringify(emptyRollup()),
          tcp_fingerprint: null,
        }).execute();
      }
      for (const [username, ip] of [["root", "192.0.2.2"], ["admin", "198.51.100.9"]]) {
        await handle.db.insertInto("credentials").values({
          fingerprint: username,
          service: "ssh",
          username,
          secret_kind: "password",
          secret: "hunter2",
          domain: null,
          hashcat_mode: null,
          hashcat_line: null,
          first_seen: at,
          last_seen: at,
          count: 1,
          last_src_ip: ip,
        }).execute();
      }
      const attackers = await alertSources.attackersAfter(0, 10);
      assert.deepEqual(attackers.map((a) => a.ip), ["192.0.2.1", "192.0.2.2"]);
      assert.deepEqual((await alertSources.attackersAfter(attackers[0].id, 10)).map((a) => a.ip), [
        "192.0.2.2",
      ]);
      const credentials = await alertSources.credentialsAfter(0, 10);
      assert.deepEqual(credentials.map((c) => [c.credential.username, c.attacker_id]), [
        ["root", attackers[1].id],
        ["admin", null],
      ]);
      assert.equal(
        await alertSources.newestId("credentials"),
        Number(credentials[1].credential.id),
      );
      assert.equal(await alertSources.newestId("audit_log"), 0);
      assert.deepEqual(await alertSources.auditAfter(0, 10), []);
      assert.deepEqual(await alertSources.serviceEventsAfter(0, 10), []);
      assert.deepEqual(await alertSources.tcpFingerprintsAfter(0, 10), []);
    },
  );
}
