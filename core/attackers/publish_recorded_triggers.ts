import type { Bus } from "../bus/mod.ts";
import { canaryTopic } from "../bus/mod.ts";
import type { RecordedTriggers, TriggerView } from "../db/mod.ts";
import { canaryTriggerEvent } from "./canary_trigger_event.ts";

/**
 * After the commit, best effort: publishes `canary.<token>.triggered` once
 * per row written (a trigger stored on its own, a rollup row created or
 * grown with its total hits), each the row a reload shows.
 *
 * @returns the triggers stored (rolled-up hits counted one by one)
 * @example
 * ```ts
 * import type { Bus } from "../bus/mod.ts";
 * import type { RecordedTriggers } from "../db/mod.ts";
 * import { publishRecordedTriggers } from "./publish_recorded_triggers.ts";
 * declare const bus: Bus;
 * declare const recorded: RecordedTriggers;
 * publishRecordedTriggers(bus, recorded);
 * ```
 */
export function publishRecordedTriggers(bus: Bus, recorded: RecordedTriggers): number {
  const publish = (t: TriggerView) =>
    bus.publish(canaryTopic(t.token_uuid, "triggered"), canaryTriggerEvent(t));
  recorded.stored.forEach(publish);
  let folded = 0;
  for (const r of recorded.rollups) {
    folded += r.added;
    publish(r.trigger);
  }
  return recorded.stored.length + folded;
}
