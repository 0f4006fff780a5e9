import assert from "node:assert/strict";
import { join } from "node:path";
import { createRepositories, openMigratedDatabase } from "../../../core/db/mod.ts";
import type { Repositories } from "../../../core/db/mod.ts";
import { ALERT_SD_ID } from "../../../core/alerts/channels/syslog_message.ts";
import { makeRuleInput } from "../../core/db/alerts_contract.ts";
import { startWebhookReceiver } from "../../core/alerts/_webhook_receiver.ts";
import { parseRfc5424 } from "../../core/alerts/channels/syslog_parsers.ts";
import { aiosmtpdUnavailable, startAiosmtpd } from "../../infra/aiosmtpd.ts";
import { rsyslogUnavailable, startRsyslog } from "../../infra/rsyslog.ts";
import { type DecnetProcess, spawnDecnet } from "../../infra/spawn_decnet.ts";
import { makeTestCertificates, opensslUnavailable } from "../../infra/test_certificates.ts";
import { waitUntil } from "../../infra/wait_until.ts";
import { PRODUCED_KINDS, produceEvents } from "./_alert_producers.ts";

const SECRET = "a shared secret for tests";

/** `decnet alerts run` alone: its bus hears nothing, so every alert comes from the tables. */
async function startWorker(home: string, dbUrl: string): Promise<DecnetProcess> {
  const proc = spawnDecnet(["alerts", "run"], {
    cwd: home,
    env: {
      DECNET_HOME: home,
      DECNET_DB_URL: dbUrl,
      DECNET_ALERTS_RETRY_MAX: "1",
      DECNET_ALERTS_DISABLE_AFTER: "1000",
    },
  });
  await proc.waitForLine(/alert intake started/, 60_000);
  return proc;
}

/** Outbox rows per channel, and whether any alert was queued twice for one channel. */
async function outbox(repos: Repositories): Promise<{ rows: number; distinct: number }> {
  const { items, total } = await repos.alerts.listDeliveries({ limit: 10_000, offset: 0 });
  return { rows: total, distinct: new Set(items.map((d) => `${d.alert_id}@${d.channel_id}`)).size };
}

Deno.test("alerts worker killed with SIGKILL mid-burst delivers every kind of alert, each once by id, from its table cursors", async () => {
  const home = await Deno.makeTempDir();
  try {
    const dbUrl = `sqlite:${join(home, "decnet.db")}`;
    await using handle = await openMigratedDatabase(dbUrl);
    const repos = createRepositories(handle);
    const receiver = startWebhookReceiver({ secret: SECRET });
    const channel = await repos.alerts.createChannel({
      name: "hook",
      kind: "webhook",
      config: { type: "webhook", url: receiver.url, secret: SECRET, timeout_ms: 2000 },
    });
    await repos.alerts.createRule(makeRuleInput({
      events: [...PRODUCED_KINDS],
      throttle_seconds: 0,
      dedupe_by: ["token", "source", "attacker", "campaign", "decky"],
      channel_ids: [channel.id],
    }));
    // Records made before the worker ever ran are history, not alerts.
    await produceEvents(repos, handle, 99);

    let worker = await startWorker(home, dbUrl);
    for (let n = 0; n < 4; n++) await produceEvents(repos, handle, n);
    await waitUntil(() => receiver.processed.size >= 6, {
      what: "the first alerts",
      timeoutMs: 60_000,
    });
    for (let n = 4; n < 6; n++) await produceEvents(repos, handle, n);
    assert.equal((await worker.kill("SIGKILL")).signal, "SIGKILL");
    // While it is dead, more of every kind.
    for (let n = 6; n < 9; n++) await produceEvents(repos, handle, n);
    worker = await startWorker(home, dbUrl);
    for (let n = 9; n < 10; n++) await produceEvents(repos, handle, n);
    const expected = 10 * PRODUCED_KINDS.length;
    await waitUntil(() => receiver.processed.size >= expected, {
      what: `${expected} alerts processed`,
      timeoutMs: 90_000,
    });
    await waitUntil(
      async () =>
        (await repos.alerts.listDeliveries({ state: "delivered", limit: 1, offset: 0 })).total ===
          expected,
      { what: `${expected} delivered`, timeoutMs: 30_000 },
    );
    await worker.close();
    await receiver.close();

    // Each record made one alert: nothing lost, nothing queued twice, none for the old records.
    assert.deepEqual(await outbox(repos), { rows: expected, distinct: expected });
    assert.equal(receiver.processed.size, expected);
    const byKind = new Map<string, number>();
    for (const alert of receiver.processed.values()) {
      byKind.set(String(alert.kind), (byKind.get(String(alert.kind)) ?? 0) + 1);
      assert.doesNotMatch(
        JSON.stringify(alert),
        /"f99"|"m99"|decky-99|198\.51\.100\.100\b|0{10}99\b/,
      );
    }
    assert.deepEqual(
      Object.fromEntries(byKind),
      Object.fromEntries(PRODUCED_KINDS.map((k) => [k, 10])),
    );
    const repeats = receiver.requests.length - expected;
    console.log(`webhook requests ${receiver.requests.length}, repeats dropped by id: ${repeats}`);
    assert.equal(receiver.badSignatures, 0);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

const skipMail = rsyslogUnavailable() ?? (await aiosmtpdUnavailable()) ?? opensslUnavailable();
if (skipMail) console.warn(`skipping the syslog and SMTP restart test: ${skipMail}`);

Deno.test({
  name:
    "alerts worker killed mid-burst with rsyslog and the SMTP relay stopped delivers every syslog and mail alert at least once",
  ignore: skipMail !== undefined,
  async fn() {
    const home = await Deno.makeTempDir();
    try {
      const certs = await makeTestCertificates(home);
      const dbUrl = `sqlite:${join(home, "decnet.db")}`;
      await using handle = await openMigratedDatabase(dbUrl);
      const repos = createRepositories(handle);
      let rsyslog = await startRsyslog(certs);
      let relay = await startAiosmtpd();
      const ports = {
        udpPort: rsyslog.udpPort,
        tcpPort: rsyslog.tcpPort,
        tlsPort: rsyslog.tlsPort,
      };
      const relayPort = relay.port;
      const syslog = await repos.alerts.createChannel({
        name: "siem",
        kind: "syslog",
        config: {
          type: "syslog",
          transport: "tcp",
          host: "127.0.0.1",
          port: ports.tcpPort,
          timeout_ms: 2000,
        },
      });
      const smtp = await repos.alerts.createChannel({
        name: "mail",
        kind: "smtp",
        config: {
          type: "smtp",
          host: "127.0.0.1",
          port: relayPort,
          starttls: "off",
          from: "decnet@example.org",
          to: ["soc@example.org"],
          timeout_ms: 2000,
        },
      });
      await repos.alerts.createRule(makeRuleInput({
        throttle_seconds: 0,
        channel_ids: [syslog.id, smtp.id],
      }));
      const trips = (from: number, to: number) =>
        (async () => {
          for (let n = from; n < to; n++) {
            await produceEvents(repos, handle, n, ["canary_triggered"]);
          }
        })();
      const syslogIds = async (server: typeof rsyslog) =>
        (await server.lines()).map((l) => parseRfc5424(l).sd[ALERT_SD_ID].id);
      const mailIds = async (server: typeof relay) =>
        (await server.received()).map((m) => /^X-Decnet-Alert-Id: (.*)$/m.exec(m.data)![1].trim());

      let worker = await startWorker(home, dbUrl);
      await trips(0, 10);
      await waitUntil(
        async () => (await syslogIds(rsyslog)).length >= 3 && (await mailIds(relay)).length >= 3,
        {
          what: "the first syslog and mail alerts",
          timeoutMs: 60_000,
        },
      );
      await trips(10, 15);
      // The worker dies mid-burst; the receivers go away too, and more alerts come meanwhile.
      await worker.kill("SIGKILL");
      const before = { syslog: await syslogIds(rsyslog), mail: await mailIds(relay) };
      await rsyslog.close();
      await relay.close();
      await trips(15, 20);
      worker = await startWorker(home, dbUrl);
      await trips(20, 25);
      // The worker retries against the dead receivers until they come back where they were.
      await waitUntil(
        async () =>
          (await repos.alerts.listDeliveries({ state: "pending", limit: 100, offset: 0 })).items
            .some(
              (d) => d.attempts > 0,
            ),
        {
          what: "a delivery retried while the receivers are down",
          timeoutMs: 60_000,
        },
      );
      rsyslog = await startRsyslog(certs, { ports });
      relay = await startAiosmtpd({ port: relayPort });
      const expected = 25;
      const seen = async () => ({
        syslog: [...before.syslog, ...await syslogIds(rsyslog)],
        mail: [...before.mail, ...await mailIds(relay)],
      });
      await waitUntil(async () => {
        const s = await seen();
        return new Set(s.syslog).size === expected && new Set(s.mail).size === expected;
      }, { what: `${expected} alerts on each channel`, timeoutMs: 90_000 });
      await waitUntil(
        async () =>
          (await repos.alerts.listDeliveries({ state: "delivered", limit: 1, offset: 0 })).total ===
            2 * expected,
        { what: "every delivery marked", timeoutMs: 30_000 },
      );
      await worker.close();
      const s = await seen();
      await rsyslog.close();
      await relay.close();

      assert.deepEqual(await outbox(repos), { rows: 2 * expected, distinct: 2 * expected });
      const ids = (await repos.alerts.listDeliveries({ limit: 100, offset: 0 })).items
        .map((d) => d.alert_id);
      // Every alert arrived at least once on each; repeats (sent, not yet marked, when killed) are counted.
      for (const list of [s.syslog, s.mail]) {
        assert.deepEqual([...new Set(list)].sort(), [...new Set(ids)].sort());
      }
      console.log(
        `syslog messages ${s.syslog.length} (repeats ${s.syslog.length - expected}), ` +
          `mails ${s.mail.length} (repeats ${s.mail.length - expected})`,
      );
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
});
