import type { AlertRuleRecord, AlertThrottleRecord } from "../db/mod.ts";
import type { AlertEvent } from "./alert_event.ts";
import {
  addSeconds,
  type AlertEvaluation,
  alertId,
  DIGEST_KEY,
  DIGEST_KEY_LIMIT,
  type DigestSample,
  ruleAlert,
  type ThrottleSample,
  windowKey,
} from "./_alert_windows.ts";

export type { AlertEvaluation, RoutedAlert } from "./_alert_windows.ts";

/** Options for {@linkcode evaluateAlertRules}. */
export interface EvaluateAlertRulesOptions {
  /** Open windows by rule and key (see `windowKey`), as stored; read, never changed. */
  windows: ReadonlyMap<string, AlertThrottleRecord>;
  /** The time used when the event's own time cannot be read. */
  now: Date;
}

/**
 * Decides what one event sends: for each enabled rule it matches (event
 * kind, token, decky and kind filters), an alert at once; or, while the
 * rule's throttle window for the event's dedupe key is open, nothing but a
 * count of the repeat (reported by the next alert of that key, or by
 * `closeAlertWindows` when the window ends); or, for a digest rule, a count
 * in the digest window. Windows are kept in event time, so evaluating the
 * same events again decides the same (with the same alert ids). A
 * once-only event (first contact) alerts once per key, ever. Pure.
 *
 * @returns the alerts to queue and the windows to store, for one transaction
 * @example
 * ```ts
 * import type { AlertRuleRecord } from "../db/mod.ts";
 * import type { AlertEvent } from "./alert_event.ts";
 * import { evaluateAlertRules } from "./evaluate_alert_rules.ts";
 * declare const rules: AlertRuleRecord[];
 * declare const event: AlertEvent;
 * const { alerts } = evaluateAlertRules(rules, event, { windows: new Map(), now: new Date() });
 * ```
 */
export function evaluateAlertRules(
  rules: readonly AlertRuleRecord[],
  event: AlertEvent,
  options: EvaluateAlertRulesOptions,
): AlertEvaluation {
  const out: AlertEvaluation = { alerts: [], throttle: [], clear: [] };
  const at = Number.isNaN(Date.parse(event.occurred_at))
    ? options.now.toISOString()
    : new Date(event.occurred_at).toISOString();
  const sample: ThrottleSample = { kind: event.kind, occurred_at: at, content: event.content };
  for (const rule of rules) {
    if (!matches(rule, event)) continue;
    // An attacker first seen before the rule existed is not new to it.
    if (event.kind === "first_contact" && at < rule.created_at) continue;
    const key = dedupeKey(rule, event);
    const window = options.windows.get(
      windowKey(rule.id, rule.digest_seconds > 0 ? DIGEST_KEY : key),
    );
    if (rule.digest_seconds > 0) {
      out.throttle.push(digestWindow(rule, window, sample, key));
      continue;
    }
    const open = window !== undefined &&
      (window.window_end === null || at < window.window_end);
    if (open) {
      out.throttle.push({ ...window, suppressed: window.suppressed + 1, digest: sample });
      continue;
    }
    if (!event.once && rule.throttle_seconds === 0) {
      out.alerts.push(
        ruleAlert(rule, sample, { id: alertId(rule.id, key, at, "event"), suppressed: 0 }),
      );
      continue;
    }
    out.alerts.push(ruleAlert(rule, sample, {
      id: alertId(rule.id, key, at, "event"),
      suppressed: window?.suppressed ?? 0,
    }));
    out.throttle.push({
      rule_id: rule.id,
      dedupe_key: key,
      window_start: at,
      window_end: event.once ? null : addSeconds(at, rule.throttle_seconds),
      suppressed: 0,
      digest: null,
    });
  }
  return out;
}

function matches(rule: AlertRuleRecord, event: AlertEvent): boolean {
  if (!rule.enabled || !rule.events.includes(event.kind)) return false;
  if (rule.filter_token !== null && event.filter.token !== rule.filter_token) return false;
  if (rule.filter_decky !== null && event.filter.decky !== rule.filter_decky) return false;
  if (rule.filter_kind !== null && event.filter.kind !== rule.filter_kind) return false;
  return true;
}

function dedupeKey(rule: AlertRuleRecord, event: AlertEvent): string {
  // A once-only event is keyed by what makes it once (the attacker), whatever the rule says.
  const fields = event.once ? Object.keys(event.keys).sort() : rule.dedupe_by;
  return `${event.kind}|${
    fields.map((f) => event.keys[f as keyof AlertEvent["keys"]] ?? "-").join("|")
  }`
    .slice(0, 255);
}

function digestWindow(
  rule: AlertRuleRecord,
  window: AlertThrottleRecord | undefined,
  sample: ThrottleSample,
  key: string,
): AlertThrottleRecord {
  const previous = window?.digest as DigestSample | undefined;
  const digest: DigestSample = previous
    ? {
      ...previous,
      count: previous.count + 1,
      last_at: sample.occurred_at > previous.last_at ? sample.occurred_at : previous.last_at,
      kinds: { ...previous.kinds, [sample.kind]: (previous.kinds[sample.kind] ?? 0) + 1 },
      keys: key in previous.keys || Object.keys(previous.keys).length < DIGEST_KEY_LIMIT
        ? { ...previous.keys, [key]: (previous.keys[key] ?? 0) + 1 }
        : previous.keys,
    }
    : {
      ...sample,
      count: 1,
      last_at: sample.occurred_at,
      kinds: { [sample.kind]: 1 },
      keys: { [key]: 1 },
    };
  return {
    rule_id: rule.id,
    dedupe_key: DIGEST_KEY,
    window_start: window?.window_start ?? sample.occurred_at,
    window_end: window?.window_end ?? addSeconds(sample.occurred_at, rule.digest_seconds),
    suppressed: digest.count - 1,
    digest,
  };
}
