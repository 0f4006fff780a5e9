import { DEFAULT_HEARTBEAT_MS } from "./start_agent_heartbeat.ts";
import type { SwarmHostView } from "./swarm_host_view.ts";

/** Heartbeats an agent may miss before the master calls it offline. */
const MISSED_BEATS = 3;

/**
 * Whether an enrolled agent is online at `now`: its last heartbeat is less
 * than three heartbeat intervals old (45 s by default), so one lost or late
 * beat does not flap it.
 *
 * @param host the host's view
 * @param now the clock's time
 * @param heartbeatMs the agents' heartbeat interval @default DEFAULT_HEARTBEAT_MS
 * @example
 * ```ts
 * import type { SwarmHostView } from "./swarm_host_view.ts";
 * import { isSwarmHostOnline } from "./swarm_host_online.ts";
 * declare const host: SwarmHostView;
 * isSwarmHostOnline(host, new Date());
 * ```
 */
export function isSwarmHostOnline(
  host: Pick<SwarmHostView, "state" | "last_heartbeat">,
  now: Date,
  heartbeatMs: number = DEFAULT_HEARTBEAT_MS,
): boolean {
  if (host.state !== "enrolled" || host.last_heartbeat === null) return false;
  return now.getTime() - Date.parse(host.last_heartbeat) < MISSED_BEATS * heartbeatMs;
}
