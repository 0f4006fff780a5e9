import type { WorkerNeeds } from "../workers/worker_definition.ts";

/**
 * An agent worker's `resolveNeeds`: adds net access to the nats-server
 * `decnet agent join` stored (not a setting) to `needs`; a host that has not
 * joined gets `needs` as they are (the worker then refuses to start, naming
 * the missing file).
 *
 * @example
 * ```ts
 * import { addAgentNatsAccess } from "./add_agent_nats_access.ts";
 * import type { WorkerNeeds } from "../workers/worker_definition.ts";
 * declare const needs: WorkerNeeds;
 * (await addAgentNatsAccess({ home: "/var/lib/decnet" }, needs)).connect;
 * ```
 */
export async function addAgentNatsAccess(
  config: { home: string },
  needs: WorkerNeeds,
): Promise<WorkerNeeds> {
  const { readAgentSwarm } = await import("./read_agent_swarm.ts");
  const joined = await readAgentSwarm(config.home);
  if (!joined) return needs;
  const { swarmNatsNetAccess } = await import("./swarm_nats_net_access.ts");
  return { ...needs, connect: [...needs.connect, ...await swarmNatsNetAccess(joined.natsUrl)] };
}
