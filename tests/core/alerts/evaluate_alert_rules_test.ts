import assert from "node:assert/strict";
import type { Alert } from "../../../core/alerts/alert.ts";
import type { AlertEvent } from "../../../core/alerts/alert_event.ts";
import { applyAlertEvaluation } from "../../../core/alerts/apply_alert_evaluation.ts";
import { closeAlertWindows } from "../../../core/alerts/close_alert_windows.ts";
import { evaluateAlertRules } from "../../../core/alerts/evaluate_alert_rules.ts";
import type { AlertRuleRecord, AlertThrottleRecord } from "../../../core/db/mod.ts";
import { makeRuleInput } from "../db/alerts_contract.ts";

const T0 = Date.parse("2026-12-01T10:00:00.000Z");

function makeRule(fields: Partial<AlertRuleRecord> = {}): AlertRuleRecord {
  return {
    ...makeRuleInput({ channel_ids: [1] }),
    id: 1,
    created_at: "2026-12-01T00:00:00.000Z",
    updated_at: "2026-12-01T00:00:00.000Z",
    ...fields,
  };
}

function trigger(secondsAfter: number, fields: { token?: string; src?: string } = {}): AlertEvent {
  const token = fields.token ?? "tok-1";
  const src = fields.src ?? "192.0.2.9";
  return {
    kind: "canary_triggered",
    occurred_at: new Date(T0 + secondsAfter * 1000).toISOString(),
    filter: { token, decky: "web-01", kind: "http" },
    keys: { token, source: src, decky: "web-01" },
    content: { title: "Canary token triggered", summary: `${token} from ${src}`, src_ip: src },
  };
}

/** Feeds events in order, closing windows as time passes, and returns every alert sent. */
function run(rules: AlertRuleRecord[], events: AlertEvent[], endSeconds: number): Alert[] {
  const windows = new Map<string, AlertThrottleRecord>();
  const sent: Alert[] = [];
  const step = (evaluation: ReturnType<typeof closeAlertWindows>) => {
    sent.push(...evaluation.alerts.map((a) => a.alert));
    applyAlertEvaluation(windows, evaluation);
  };
  for (const event of events) {
    const now = new Date(event.occurred_at);
    step(closeAlertWindows(rules, windows.values(), now));
    step(evaluateAlertRules(rules, event, { windows, now }));
  }
  step(closeAlertWindows(rules, windows.values(), new Date(T0 + endSeconds * 1000)));
  return sent;
}

Deno.test("evaluateAlertRules() throttles 10,000 triggers on one token and source, counting every repeat", () => {
  // One trigger a second for 10,000 s; one alert per 600 s window.
  const events = Array.from({ length: 10_000 }, (_, i) => trigger(i));
  const sent = run([makeRule()], events, 20_000);
  // The first trigger alerts; each closing window reports its repeats: 1..599, then 600 a window.
  assert.deepEqual(sent.map((a) => a.suppressed_count), [0, 599, ...Array(15).fill(600), 400]);
  // Every trigger is either the first alert or counted in exactly one alert's suppressed count.
  assert.equal(1 + sent.reduce((n, a) => n + a.suppressed_count, 0), 10_000);
  assert.equal(new Set(sent.map((a) => a.id)).size, 18);
  // A repeats alert shows the last trigger it held back.
  assert.equal(sent[1].occurred_at, "2026-12-01T10:09:59.000Z");
  assert.match(sent[17].summary, /400 repeats held back since 2026-12-01T12:40:00.000Z/);
});

Deno.test("evaluateAlertRules() keeps tokens and sources apart and decides the same twice", () => {
  const events = [
    trigger(0),
    trigger(1, { src: "192.0.2.10" }),
    trigger(2, { token: "tok-2" }),
    trigger(3),
  ];
  const first = run([makeRule()], events, 10);
  assert.deepEqual(first.map((a) => a.src_ip), ["192.0.2.9", "192.0.2.10", "192.0.2.9"]);
  // Same events again: same ids, which the outbox drops as already queued.
  assert.deepEqual(run([makeRule()], events, 10).map((a) => a.id), first.map((a) => a.id));
  // Without dedupe fields every trigger shares one key.
  assert.equal(run([makeRule({ dedupe_by: [] })], events, 10).length, 1);
  // Without throttling every trigger alerts.
  assert.equal(run([makeRule({ throttle_seconds: 0 })], events, 10).length, 4);
});

Deno.test("evaluateAlertRules() applies event, token, decky and kind filters and skips disabled rules", () => {
  const e = trigger(0);
  const none = { windows: new Map(), now: new Date(T0) };
  const count = (fields: Partial<AlertRuleRecord>) =>
    evaluateAlertRules([makeRule(fields)], e, none).alerts.length;
  assert.equal(count({}), 1);
  assert.equal(count({ events: ["first_contact"] }), 0);
  assert.equal(count({ filter_token: "tok-1" }), 1);
  assert.equal(count({ filter_token: "tok-9" }), 0);
  assert.equal(count({ filter_decky: "web-02" }), 0);
  assert.equal(count({ filter_kind: "dns" }), 0);
  assert.equal(count({ enabled: false }), 0);
  const [routed] =
    evaluateAlertRules([makeRule({ severity: "critical", channel_ids: [4, 5] })], e, none).alerts;
  assert.equal(routed.alert.severity, "critical");
  assert.equal(routed.alert.rule, "canaries");
  assert.deepEqual(routed.channel_ids, [4, 5]);
});

Deno.test("evaluateAlertRules() reports a first contact once per attacker, and not for attackers older than the rule", () => {
  const contact = (id: number, at: number): AlertEvent => ({
    kind: "first_contact",
    occurred_at: new Date(T0 + at * 1000).toISOString(),
    filter: {},
    keys: { attacker: String(id), source: `192.0.2.${id}` },
    once: true,
    content: { title: "New attacker", summary: "new" },
  });
  const rule = makeRule({ events: ["first_contact"], throttle_seconds: 0 });
  const sent = run(
    [rule],
    [contact(1, 0), contact(1, 5), contact(2, 6), contact(1, 90_000)],
    200_000,
  );
  assert.deepEqual(sent.map((a) => a.src_ip ?? a.summary), ["new", "new"]);
  const late = makeRule({ events: ["first_contact"], created_at: "2026-12-02T00:00:00.000Z" });
  assert.equal(run([late], [contact(1, 0)], 10).length, 0);
});

Deno.test("closeAlertWindows() sends one digest per window with counts by kind and key", () => {
  const rule = makeRule({ digest_seconds: 900, throttle_seconds: 0 });
  const events = [
    ...Array.from({ length: 30 }, (_, i) => trigger(i)),
    ...Array.from({ length: 12 }, (_, i) => trigger(100 + i, { src: "192.0.2.77" })),
    trigger(1000),
  ];
  const sent = run([rule], events, 5000);
  assert.equal(sent.length, 2);
  assert.equal(sent[0].title, "Digest of rule canaries: 42 events");
  assert.equal(sent[0].suppressed_count, 41);
  assert.match(sent[0].summary, /canary_triggered 42/);
  assert.match(sent[0].summary, /tok-1 192\.0\.2\.9 x30, tok-1 192\.0\.2\.77 x12/);
  assert.equal(sent[1].title, "Digest of rule canaries: 1 events");
});
