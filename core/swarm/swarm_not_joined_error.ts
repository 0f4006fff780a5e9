/**
 * This host has not joined a swarm (no `swarm/agent.json`), or what join
 * stored cannot be read: what an agent-only command or worker cannot run
 * without. The CLI turns it into exit 2.
 *
 * @example
 * ```ts
 * import { SwarmNotJoinedError } from "./swarm_not_joined_error.ts";
 * declare const e: unknown;
 * if (e instanceof SwarmNotJoinedError) console.error(e.message);
 * ```
 */
export class SwarmNotJoinedError extends Error {
  override name = "SwarmNotJoinedError";
}
