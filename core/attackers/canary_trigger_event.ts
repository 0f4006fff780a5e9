import type { CanaryTriggeredPayload } from "../bus/mod.ts";
import type { TriggerView } from "../db/mod.ts";

/**
 * The `canary.<token>.triggered` payload of a stored trigger or of a rollup
 * row created or grown: the row as the API lists it (what
 * `recordTriggers` returned, no second lookup), plus `event`.
 *
 * @example
 * ```ts
 * import type { Bus } from "../bus/base.ts";
 * import type { TriggerView } from "../db/mod.ts";
 * import { canaryTopic } from "../bus/topics.ts";
 * import { canaryTriggerEvent } from "./canary_trigger_event.ts";
 * declare const bus: Bus;
 * declare const t: TriggerView;
 * bus.publish(canaryTopic(t.token_uuid, "triggered"), canaryTriggerEvent(t));
 * ```
 */
export function canaryTriggerEvent(trigger: TriggerView): CanaryTriggeredPayload {
  return { ...trigger, event: "triggered" };
}
