import { swarmFiles } from "./swarm_files.ts";
import { SWARM_HOST_NAME_REGEXP } from "./swarm_host_name.ts";
import { parseSwarmNatsUrl } from "./swarm_nats_url.ts";

/** What a joined agent reads back to connect: its name, nats-server, credentials and CA. */
export interface AgentSwarm {
  name: string;
  natsUrl: string;
  /** The creds file's text (user JWT and seed). */
  creds: string;
  caFile: string;
}

/**
 * Reads what `decnet agent join` stored under `<home>/swarm/`.
 *
 * @returns the agent's swarm settings, or undefined when this host has not joined
 * @throws {SyntaxError} when `agent.json` is not what join writes
 * @example
 * ```ts
 * import { readAgentSwarm } from "./read_agent_swarm.ts";
 * const joined = await readAgentSwarm("/var/lib/decnet");
 * ```
 */
export async function readAgentSwarm(home: string): Promise<AgentSwarm | undefined> {
  const files = swarmFiles(home);
  let info: unknown;
  let creds: string;
  try {
    info = JSON.parse(await Deno.readTextFile(files.agentInfo));
    creds = await Deno.readTextFile(files.agentCreds);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    if (e instanceof SyntaxError) {
      throw new SyntaxError(`Cannot read ${files.agentInfo}: expected JSON`, { cause: e });
    }
    throw e;
  }
  const { name, nats_url: natsUrl } = (info ?? {}) as Record<string, unknown>;
  if (typeof name !== "string" || !SWARM_HOST_NAME_REGEXP.test(name)) {
    throw new SyntaxError(`Cannot read ${files.agentInfo}: name must be a swarm host name`);
  }
  if (typeof natsUrl !== "string") {
    throw new SyntaxError(`Cannot read ${files.agentInfo}: nats_url must be tls://host:port`);
  }
  parseSwarmNatsUrl(natsUrl);
  return { name, natsUrl, creds, caFile: files.agentCa };
}
