import assert from "node:assert/strict";
import { join } from "node:path";
import { alertsWorker } from "../../../core/alerts/alerts_worker.ts";
import { ALERTS_CHANGED_TOPIC } from "../../../core/alerts/alerts_changed_topic.ts";
import { auditTopic, MemoryBus } from "../../../core/bus/mod.ts";
import { createRepositories, openMigratedDatabase } from "../../../core/db/mod.ts";
import type { DbHandle, Repositories } from "../../../core/db/mod.ts";
import { Logger } from "../../../core/log/mod.ts";
import { waitUntil } from "../../infra/wait_until.ts";
import { produceEvents } from "../../integration/alerts/_alert_producers.ts";
import { startWebhookReceiver } from "./_webhook_receiver.ts";

const SECRET = "a shared secret for tests";
const quiet = new Logger({ level: "error", sink: () => {} });

/** A sensor's credential event as the collector stores it, the password in its detail. */
async function storeServiceEvent(handle: DbHandle, n: number): Promise<void> {
  await handle.db.insertInto("service_events").values({
    occurred_at: new Date().toISOString(),
    decky: "web-01",
    service: "ssh",
    kind: "credential",
    src_ip: `203.0.113.${n}`,
    src_port: 40000 + n,
    dst_port: 22,
    session: `s${n}`,
    username: "root",
    text: null,
    detail: JSON.stringify({ username: "root", secret_kind: "password", secret: `pw-${n}` }),
    benign: 0,
  }).execute();
}

async function recordAudit(repos: Repositories, bus: MemoryBus, target: string): Promise<void> {
  const row = await repos.audit.record({
    actor: "ann",
    actorKind: "user",
    action: "user.added",
    target,
    outcome: "success",
  });
  bus.publish(auditTopic("user.added"), { ...row, detail: {} });
}

Deno.test("alerts worker forwards every stored event to event-stream channels and audit entries to audit-log channels, secrets masked", async () => {
  const home = await Deno.makeTempDir();
  try {
    const dbUrl = `sqlite:${join(home, "decnet.db")}`;
    await using handle = await openMigratedDatabase(dbUrl);
    const repos = createRepositories(handle);
    await using siem = startWebhookReceiver({ secret: SECRET });
    await using auditor = startWebhookReceiver({ secret: SECRET });
    await using chat = startWebhookReceiver({ secret: SECRET });
    const hook = (url: string, fields: Record<string, unknown>) => ({
      type: "webhook",
      url,
      secret: SECRET,
      timeout_ms: 2000,
      ...fields,
    });
    await repos.alerts.createChannel({
      name: "siem",
      kind: "webhook",
      config: hook(siem.url, { event_stream: true }),
    });
    const auditChannel = await repos.alerts.createChannel({
      name: "auditor",
      kind: "webhook",
      config: hook(auditor.url, { audit_log: true, include_secrets: true }),
    });
    // No feed and no rule: it gets nothing.
    await repos.alerts.createChannel({ name: "chat", kind: "webhook", config: hook(chat.url, {}) });
    await using bus = new MemoryBus({ channel: crypto.randomUUID(), logger: quiet });
    const config = {
      dbUrl,
      home,
      dashboardUrl: "",
      alertsDisableAfter: 100,
      alertsRetryMaxSeconds: 1,
    };
    // History before the first start is not forwarded.
    await storeServiceEvent(handle, 99);
    const worker = await alertsWorker.start(config, { log: quiet, bus, peers: [] });
    try {
      await storeServiceEvent(handle, 1);
      await storeServiceEvent(handle, 2);
      await produceEvents(repos, handle, 3, [
        "canary_triggered",
        "decky_failed",
        "campaign_formed",
      ]);
      await handle.db.insertInto("tcp_fingerprints").values({
        attacker_id: 1,
        occurred_at: new Date().toISOString(),
        src_ip: "203.0.113.1",
        decky: "192.0.2.10",
        os_guess: "Linux",
        ipid_class: "zero",
        isn_class: "random",
        event: JSON.stringify({ src_ip: "203.0.113.1", os_guess: "Linux" }),
      }).execute();
      await recordAudit(repos, bus, "vera");
      await waitUntil(() => siem.processed.size === 6 && auditor.processed.size === 1, {
        what: "6 events and 1 audit entry forwarded",
        timeoutMs: 20_000,
      });
      const events = [...siem.processed.values()];
      assert.ok(events.every((a) => a.kind === "event" && a.severity === "info"));
      assert.deepEqual(events.map((a) => String(a.topic).replace(/\.[^.]*$/, ".*")).sort(), [
        "attacker.1.*",
        "campaign.f3.*",
        "canary.00000000-0000-4000-8000-000000000003.*",
        "decky.local:decky-3.*",
        "service.web-01.ssh.*",
        "service.web-01.ssh.*",
      ]);
      const credential = events.find((a) => a.src_ip === "203.0.113.1" && a.decky === "web-01")!;
      assert.equal(credential.id, `service_events:${(credential.record as { id: number }).id}`);
      // Masked unless the channel includes secrets.
      assert.deepEqual((credential.record as { detail: unknown }).detail, {
        username: "root",
        secret_kind: "password",
        secret: "[masked]",
      });
      assert.equal(JSON.stringify(events).includes("pw-1"), false);
      assert.equal(JSON.stringify(events).includes("203.0.113.99"), false);
      const [audit] = auditor.processed.values();
      assert.equal(audit.kind, "audit");
      assert.equal(audit.topic, "audit.user.added");
      assert.equal(audit.title, "Audit: user.added by ann (success)");
      assert.equal((audit.record as { target: string }).target, "vera");

      // A feed turned on later starts from then: the audit channel takes the event stream too.
      await repos.alerts.updateChannel(auditChannel.id, {
        config: hook(auditor.url, { audit_log: true, event_stream: true, include_secrets: true }),
      });
      bus.publish(ALERTS_CHANGED_TOPIC, { at: new Date().toISOString() });
      await storeServiceEvent(handle, 4);
      await waitUntil(() => auditor.processed.size === 2 && siem.processed.size === 7, {
        what: "the next event to both",
        timeoutMs: 20_000,
      });
      const later = [...auditor.processed.values()].find((a) => a.kind === "event")!;
      assert.equal(later.src_ip, "203.0.113.4");
      // This channel includes secrets.
      assert.equal((later.record as { detail: { secret: string } }).detail.secret, "pw-4");
      assert.equal(chat.requests.length, 0);
    } finally {
      await worker.close();
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
