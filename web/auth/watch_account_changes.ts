import type { AuditAction } from "../../core/audit/mod.ts";
import { auditTopic, type Bus, type Subscription } from "../../core/bus/mod.ts";

/** Audited changes after which a credential granted before may no longer stand. */
export const SESSION_ENDING_ACTIONS: readonly AuditAction[] = [
  "user.removed",
  "user.password_changed",
  "api_key.revoked",
];

/**
 * Calls `onChange` whenever an account or key change that can end sessions
 * is announced on the bus: by this worker's own routes, or by `decnet user`
 * / `decnet api-key` when they reach the bus (DECNET_BUS_URL). Close the
 * returned subscriptions when done.
 *
 * @param bus the bus the audit log is published on
 * @param onChange what to do (clear the access cache)
 * @returns one subscription per action
 * @example
 * ```ts
 * import type { Bus } from "../../core/bus/mod.ts";
 * import { AccessCache } from "./access_cache.ts";
 * import { watchAccountChanges } from "./watch_account_changes.ts";
 * declare const bus: Bus;
 * const cache = new AccessCache<string>();
 * const watches = watchAccountChanges(bus, () => cache.clear());
 * for (const w of watches) w.close();
 * ```
 */
export function watchAccountChanges(bus: Bus, onChange: () => void): Subscription[] {
  return SESSION_ENDING_ACTIONS.map((action) => bus.subscribe(auditTopic(action), onChange));
}
