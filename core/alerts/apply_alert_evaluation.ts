import type { AlertThrottleRecord } from "../db/mod.ts";
import { type AlertEvaluation, windowKey } from "./_alert_windows.ts";

/**
 * Brings an in-memory window map up to date with what an evaluation stored
 * (after its transaction committed), so the next event sees it.
 *
 * @example
 * ```ts
 * import type { AlertThrottleRecord } from "../db/mod.ts";
 * import type { AlertEvaluation } from "./evaluate_alert_rules.ts";
 * import { applyAlertEvaluation } from "./apply_alert_evaluation.ts";
 * declare const evaluation: AlertEvaluation;
 * const windows = new Map<string, AlertThrottleRecord>();
 * applyAlertEvaluation(windows, evaluation);
 * ```
 */
export function applyAlertEvaluation(
  windows: Map<string, AlertThrottleRecord>,
  evaluation: AlertEvaluation,
): void {
  for (const w of evaluation.clear) windows.delete(windowKey(w.rule_id, w.dedupe_key));
  for (const w of evaluation.throttle) windows.set(windowKey(w.rule_id, w.dedupe_key), w);
}
