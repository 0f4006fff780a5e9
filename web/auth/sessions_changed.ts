import type { AppDeps } from "../app_deps.ts";

/**
 * A session or credential ended in this process (logout, user removed, API
 * key revoked): forgets every cached grant, so the next request with it is
 * refused, and re-checks open live streams now rather than at their next
 * periodic check.
 *
 * @param deps the app's access cache and stream tickets
 * @example
 * ```ts
 * import type { AppDeps } from "../app_deps.ts";
 * import { sessionsChanged } from "./sessions_changed.ts";
 * declare const deps: AppDeps;
 * sessionsChanged(deps); // after revoking a token
 * ```
 */
export function sessionsChanged(deps: Pick<AppDeps, "accessCache" | "tickets">): void {
  deps.accessCache.clear();
  deps.tickets.recheckAll();
}
