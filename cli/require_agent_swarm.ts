import type { AgentSwarm } from "../core/swarm/read_agent_swarm.ts";
import { readAgentSwarm } from "../core/swarm/read_agent_swarm.ts";
import { swarmFiles } from "../core/swarm/swarm_files.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";

/**
 * What `decnet agent join` stored, for a command that needs this host to be
 * a joined agent (`decnet up` with DECNET_MODE=agent, `decnet agent serve`).
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
  let joined: AgentSwarm | undefined;
  try {
    joined = await readAgentSwarm(home);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    throw new CliError(`Cannot ${action}: ${e.message}`, EXIT_USAGE, { cause: e });
  }
  if (!joined) {
    throw new CliError(
      `Cannot ${action}: this host has not joined a swarm (no ${
        swarmFiles(home).agentInfo
      }): run decnet agent join first`,
      EXIT_USAGE,
    );
  }
  return joined;
}
