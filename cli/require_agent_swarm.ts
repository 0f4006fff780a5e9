import type { AgentSwarm } from "../core/swarm/read_agent_swarm.ts";
import { requireAgentSwarm as requireJoined } from "../core/swarm/require_agent_swarm.ts";
import { SwarmNotJoinedError } from "../core/swarm/swarm_not_joined_error.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";

/**
 * What `decnet agent join` stored, for a command that needs this host to be
 * a joined agent (`decnet up` with DECNET_MODE=agent, `decnet agent serve`):
 * the swarm's own check, with exit 2 when it fails.
 *
 * @param home DECNET_HOME
 * @param action what cannot run otherwise, for the error ("serve", "start as a swarm agent")
 * @returns the agent's name, NATS URL, credentials and CA file
 * @throws {CliError} exit 2 naming the missing (or unreadable) file
 * @example
 * ```ts
 * import { requireAgentSwarm } from "./require_agent_swarm.ts";
 * const joined = await requireAgentSwarm("/var/lib/decnet", "serve");
 * ```
 */
export async function requireAgentSwarm(home: string, action: string): Promise<AgentSwarm> {
  try {
    return await requireJoined(home, action);
  } catch (e) {
    if (!(e instanceof SwarmNotJoinedError)) throw e;
    throw new CliError(e.message, EXIT_USAGE, { cause: e });
  }
}
