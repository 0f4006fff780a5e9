import type { SwarmHostRow } from "../db/mod.ts";

/** Where a swarm host stands. */
export type SwarmHostState = "pending" | "expired" | "enrolled" | "revoked";

/** A swarm host as the API and `decnet swarm hosts --json` show it (never its token hash). */
export interface SwarmHostView {
  name: string;
  state: SwarmHostState;
  public_key: string | null;
  created_at: string;
  join_expires_at: string | null;
  enrolled_at: string | null;
  last_heartbeat: string | null;
  version: string | null;
  revoked_at: string | null;
}

/**
 * The public view of a swarm host at `now`: revoked, enrolled (joined), or
 * pending / expired (a join token not redeemed yet, by its expiry).
 *
 * @example
 * ```ts
 * import type { SwarmHostRow } from "../db/mod.ts";
 * import { swarmHostView } from "./swarm_host_view.ts";
 * declare const row: SwarmHostRow;
 * swarmHostView(row, new Date()).state;
 * ```
 */
export function swarmHostView(row: SwarmHostRow, now: Date): SwarmHostView {
  const state: SwarmHostState = row.revoked_at
    ? "revoked"
    : row.enrolled_at
    ? "enrolled"
    : row.join_expires_at !== null && row.join_expires_at > now.toISOString()
    ? "pending"
    : "expired";
  return {
    name: row.name,
    state,
    public_key: row.public_key,
    created_at: row.created_at,
    join_expires_at: row.join_expires_at,
    enrolled_at: row.enrolled_at,
    last_heartbeat: row.last_heartbeat,
    version: row.version,
    revoked_at: row.revoked_at,
  };
}
