import type { TriggerView } from "../web/api/v1/canary.ts";

/**
 * The rows after a live trigger arrives, newest first and at most `limit`:
 * a new row goes on top; a rollup row already shown is replaced in place (its
 * count grew); a row already shown otherwise (a replayed event) changes
 * nothing. Rows are matched by their database id, as a reload lists them.
 *
 * @example
 * ```ts
 * import type { TriggerView } from "../web/api/v1/canary.ts";
 * import { mergeTrigger } from "./merge_trigger.ts";
 * declare let rows: TriggerView[];
 * declare const live: TriggerView;
 * rows = mergeTrigger(rows, live, 200);
 * ```
 */
export function mergeTrigger(
  rows: TriggerView[],
  trigger: TriggerView,
  limit: number,
): TriggerView[] {
  const at = rows.findIndex((r) => r.id === trigger.id);
  if (at < 0) return [trigger, ...rows].slice(0, limit);
  return trigger.rollup_scope ? rows.map((r, i) => (i === at ? trigger : r)) : rows;
}
