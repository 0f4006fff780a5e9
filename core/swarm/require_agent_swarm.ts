import { type AgentSwarm, readAgentSwarm } from "./read_agent_swarm.ts";
import { swarmFiles } from "./swarm_files.ts";
import { SwarmNotJoinedError } from "./swarm_not_joined_error.ts";

/**
 * What `decnet agent join` stored, for what needs this host to be a joined
 * agent (`decnet up` with DECNET_MODE=agent, `decnet agent serve`, the
 * `agent` and `agent-collector` workers).
 *
 * @param home DECNET_HOME
 * @param action what cannot run otherwise, for the error ("serve", "start the agent collector")
 * @returns the agent's name, NATS URL, credentials and CA file
 * @throws {SwarmNotJoinedError} naming the missing file, or why it cannot be read
 * @example
 * ```ts
 * import { requireAgentSwarm } from "./require_agent_swarm.ts";
 * const joined = await requireAgentSwarm("/var/lib/decnet", "serve");
 * ```
 */
export async function requireAgentSwarm(home: string, action: string): Promise<AgentSwarm> {
  let joined: AgentSwarm | undefined;
  try {
    joined = await readAgentSwarm(home);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    throw new SwarmNotJoinedError(`Cannot ${action}: ${e.message}`, { cause: e });
  }
  if (!joined) {
    throw new SwarmNotJoinedError(
      `Cannot ${action}: this host has not joined a swarm (no ${
        swarmFiles(home).agentInfo
      }): run decnet agent join first`,
    );
  }
  return joined;
}
