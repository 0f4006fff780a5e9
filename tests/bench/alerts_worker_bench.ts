/**
 * The alerts worker's own costs, channels aside: rule evaluation (pure,
 * 10,000 triggers on one token and source, and on 10,000 sources), storing
 * each decision (intake: throttle window and outbox rows in one SQLite
 * transaction per event), outbox delivery to a local webhook receiver
 * (read due rows, send, mark delivered), and the intake reading stored rows
 * from its table cursors (new attackers through a first-contact rule, and
 * service events forwarded to an event-stream channel).
 */
import { AlertDelivery } from "../../core/alerts/alert_delivery.ts";
import { AlertIntake } from "../../core/alerts/alert_intake.ts";
import { alertSources } from "../../core/alerts/alert_sources.ts";
import { MemoryBus } from "../../core/bus/mod.ts";
import type { AlertEvent } from "../../core/alerts/alert_event.ts";
import { applyAlertEvaluation } from "../../core/alerts/apply_alert_evaluation.ts";
import { createChannel } from "../../core/alerts/channels/factory.ts";
import { closeAlertWindows } from "../../core/alerts/close_alert_windows.ts";
import { evaluateAlertRules } from "../../core/alerts/evaluate_alert_rules.ts";
import { createRepositories, emptyRollup, openMigratedDatabase } from "../../core/db/mod.ts";
import type { AlertRuleRecord, AlertThrottleRecord } from "../../core/db/mod.ts";
import { Logger } from "../../core/log/mod.ts";
import { makeRuleInput } from "../core/db/alerts_contract.ts";
import { startWebhookReceiver } from "../core/alerts/_webhook_receiver.ts";
import { waitUntil } from "../infra/wait_until.ts";
import { formatTimings, timeIt } from "./bench_stats.ts";

const N = 10_000;
const T0 = Date.parse("2026-12-01T10:00:00.000Z");
const rule: AlertRuleRecord = {
  ...makeRuleInput({ channel_ids: [1] }),
  id: 1,
  created_at: "2026-12-01T00:00:00.000Z",
  updated_at: "2026-12-01T00:00:00.000Z",
};

function trigger(i: number, src: string): AlertEvent {
  return {
    kind: "canary_triggered",
    occurred_at: new Date(T0 + i * 100).toISOString(),
    filter: { token: "tok", decky: "web-01", kind: "http" },
    keys: { token: "tok", source: src, decky: "web-01" },
    content: { title: "Canary token triggered", summary: "bench", src_ip: src },
  };
}

for (
  const [label, src] of [["1 source", () => "192.0.2.9"], [
    "10,000 sources",
    (i: number) => `10.0.${i >> 8}.${i & 255}`,
  ]] as const
) {
  const windows = new Map<string, AlertThrottleRecord>();
  let alerts = 0;
  const t = await timeIt(N, (i) => {
    const now = new Date(T0 + i * 100);
    const closed = closeAlertWindows([rule], windows.values(), now);
    applyAlertEvaluation(windows, closed);
    const e = evaluateAlertRules([rule], trigger(i, src(i)), { windows, now });
    applyAlertEvaluation(windows, e);
    alerts += closed.alerts.length + e.alerts.length;
  }, 0);
  console.log(`${formatTimings(`evaluate (${label})`, t)}  alerts=${alerts}`);
}

const home = await Deno.makeTempDir({ prefix: "alerts-bench-" });
const handle = await openMigratedDatabase(`sqlite:${home}/decnet.db`);
const { alerts: repo } = createRepositories(handle);
const secret = "a shared secret for benches";
await using receiver = startWebhookReceiver({ secret });
const channel = await repo.createChannel({
  name: "hook",
  kind: "webhook",
  config: { type: "webhook", url: receiver.url, secret },
});
const M = 2000;
const store = await timeIt(M, (i) =>
  repo.commitAlerts({
    throttle: [{
      rule_id: 1,
      dedupe_key: `k${i}`,
      window_start: new Date(T0).toISOString(),
      window_end: new Date(T0 + 600_000).toISOString(),
      suppressed: 0,
      digest: null,
    }],
    alerts: [{
      alert_id: `a-${i}`,
      channel_ids: [channel.id],
      payload: { ...trigger(i, "192.0.2.9").content, id: `a-${i}` },
    }],
  }), 0);
console.log(formatTimings("intake commit (SQLite, window + outbox row)", store));

const started = performance.now();
await using delivery = new AlertDelivery({
  repository: repo,
  openChannel: (c) => createChannel(c),
  log: new Logger({ level: "error", sink: () => {} }),
});
delivery.start();
await waitUntil(() => receiver.processed.size === M, { timeoutMs: 300_000 });
const seconds = (performance.now() - started) / 1000;
console.log(`outbox -> webhook (SQLite, sequential)         n=${M}  ${(M / seconds).toFixed(0)}/s`);
await delivery.close();

// The intake from its table cursors, from 0: rows stored before it starts, read in batches of 500.
const repos = createRepositories(handle);
await repo.createChannel({
  name: "siem",
  kind: "file",
  config: { type: "file", path: `${home}/siem.jsonl`, event_stream: true },
});
await repo.createRule(makeRuleInput({
  name: "first",
  events: ["first_contact"],
  channel_ids: [channel.id],
}));
const quiet = new Logger({ level: "error", sink: () => {} });
await using bus = new MemoryBus({ channel: crypto.randomUUID(), logger: quiet });
const R = 5000;
const at = new Date().toISOString();
for (let i = 0; i < R; i += 500) {
  await handle.db.insertInto("attackers").values(
    Array.from({ length: 500 }, (_, j) => ({
      ip: `10.1.${(i + j) >> 8}.${(i + j) & 255}`,
      first_seen: at,
      last_seen: at,
      event_count: 1,
      credential_count: 0,
      command_count: 0,
      rollup: JSON.stringify(emptyRollup()),
      tcp_fingerprint: null,
    })),
  ).execute();
  await handle.db.insertInto("service_events").values(
    Array.from({ length: 500 }, (_, j) => ({
      occurred_at: at,
      decky: "web-01",
      service: "ssh",
      kind: "command",
      src_ip: "192.0.2.9",
      src_port: 40000,
      dst_port: 22,
      session: `s${i + j}`,
      username: "root",
      text: "id",
      detail: JSON.stringify({ command: "id" }),
      benign: 0,
    })),
  ).execute();
}
await repo.commitAlerts({
  throttle: [],
  alerts: [],
  cursors: [{ stream: "attackers", position: 0 }, { stream: "service_events", position: 0 }],
});
const queuedBefore = (await repo.listDeliveries({ limit: 1, offset: 0 })).total;
const read = performance.now();
const intake = new AlertIntake({
  repository: repo,
  bus,
  log: quiet,
  dashboardUrl: "",
  onQueued: () => {},
  sources: alertSources(repos),
  tickMs: 50,
});
await intake.start();

await waitUntil(
  async () => (await repo.listDeliveries({ limit: 1, offset: 0 })).total === queuedBefore + 2 * R,
  { timeoutMs: 300_000 },
);
const readSeconds = (performance.now() - read) / 1000;
console.log(
  `intake from tables (SQLite, ${R} attackers + ${R} service events)  ${
    (2 * R / readSeconds).toFixed(0)
  } rows/s`,
);
await intake.close();
await handle.close();
await Deno.remove(home, { recursive: true });
