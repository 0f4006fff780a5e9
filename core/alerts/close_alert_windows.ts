import type { AlertRuleRecord, AlertThrottleRecord } from "../db/mod.ts";
import {
  addSeconds,
  type AlertEvaluation,
  alertId,
  DIGEST_KEY,
  type DigestSample,
  ruleAlert,
  type ThrottleSample,
} from "./_alert_windows.ts";

/**
 * Closes the windows that ended by `now`: a throttle window that held
 * repeats back sends one alert carrying their count (so a burst that stops
 * is still reported in full) and opens the next window (so a flood that
 * goes on stays one alert per window); a digest window sends its digest.
 * Windows with nothing held back are forgotten; once-only windows never
 * end. Pure.
 *
 * @returns the alerts to queue and the windows to forget, for one transaction
 * @example
 * ```ts
 * import type { AlertRuleRecord, AlertThrottleRecord } from "../db/mod.ts";
 * import { closeAlertWindows } from "./close_alert_windows.ts";
 * declare const rules: AlertRuleRecord[];
 * declare const windows: AlertThrottleRecord[];
 * const { alerts, clear } = closeAlertWindows(rules, windows, new Date());
 * ```
 */
export function closeAlertWindows(
  rules: readonly AlertRuleRecord[],
  windows: Iterable<AlertThrottleRecord>,
  now: Date,
): AlertEvaluation {
  const out: AlertEvaluation = { alerts: [], throttle: [], clear: [] };
  const byId = new Map(rules.map((r) => [r.id, r]));
  const at = now.toISOString();
  for (const window of windows) {
    if (window.window_end === null || window.window_end > at) continue;
    const rule = byId.get(window.rule_id);
    const forget = { rule_id: window.rule_id, dedupe_key: window.dedupe_key };
    if (!rule || !rule.enabled || window.digest === null) {
      out.clear.push(forget);
      continue;
    }
    const id = alertId(rule.id, window.dedupe_key, window.window_start, "close");
    if (window.dedupe_key === DIGEST_KEY) {
      out.clear.push(forget);
      out.alerts.push(digestAlert(rule, window, window.digest as DigestSample, id));
      continue;
    }
    const sample = window.digest as ThrottleSample;
    out.alerts.push(ruleAlert(rule, sample, {
      id,
      suppressed: window.suppressed,
      summary:
        `${sample.content.summary} (${window.suppressed} repeats held back since ${window.window_start})`,
    }));
    // This alert stands for the next window: a flood that goes on stays one alert per window.
    out.throttle.push({
      ...window,
      window_start: window.window_end,
      window_end: addSeconds(window.window_end, rule.throttle_seconds),
      suppressed: 0,
      digest: null,
    });
  }
  return out;
}

function digestAlert(
  rule: AlertRuleRecord,
  window: AlertThrottleRecord,
  digest: DigestSample,
  id: string,
) {
  const kinds = Object.entries(digest.kinds).sort((a, b) => b[1] - a[1]);
  const top = Object.entries(digest.keys).sort((a, b) => b[1] - a[1]).slice(0, 5)
    .map(([key, n]) => `${key.split("|").slice(1).join(" ")} x${n}`);
  const sample: ThrottleSample = { ...digest, kind: kinds[0][0] as ThrottleSample["kind"] };
  return ruleAlert(rule, sample, {
    id,
    suppressed: digest.count - 1,
    title: `Digest of rule ${rule.name}: ${digest.count} events`,
    summary: `${digest.count} events (${
      kinds.map(([k, n]) => `${k} ${n}`).join(", ")
    }) from ${window.window_start} to ${digest.last_at}; most frequent: ${top.join(", ")}`,
  });
}
