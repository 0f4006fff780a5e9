import type { NatsConnection } from "@nats-io/transport-node";
import { z } from "zod";
import type { DeckyDeployResult } from "../fleet/deploy_fleet.ts";
import { errorText } from "../log/mod.ts";
import { requestAgentCommand } from "./request_agent_command.ts";

/** A deploy can pull images and build a sensor image: give an agent this long. */
export const DEFAULT_AGENT_DEPLOY_TIMEOUT_MS = 55_000;

/** What one agent did with its part of a fleet. */
export interface AgentDeployResult {
  host: string;
  /** Its deckies' results; empty when it could not be asked or refused. */
  results: DeckyDeployResult[];
  /** Why not all of its deckies came up (the host is named). */
  error?: string;
}

const DECKY_RESULT = z.object({
  name: z.string(),
  status: z.enum(["deployed", "unchanged", "planned", "failed"]),
  state: z.string().nullable(),
  ip: z.string().nullable(),
  containers: z.array(z.string()),
  error: z.string().optional(),
});
const DEPLOY_RESULT = z.object({ results: z.array(DECKY_RESULT), error: z.string().optional() });

/**
 * Sends the fleet file to each agent that runs part of it (`host = NAME`),
 * all at once; each agent deploys only its own deckies. Never throws for an
 * agent: an offline, silent or failing one is reported with its host named,
 * and the others go on.
 *
 * @param nc the master's NATS connection
 * @param fleet the fleet file's text, as the operator wrote it
 * @param options `hosts` to ask, `dryRun`, `timeoutMs` per agent
 * @returns one result per host, in the order given
 * @example
 * ```ts
 * import type { NatsConnection } from "@nats-io/transport-node";
 * import { deployOnAgents } from "./deploy_on_agents.ts";
 * declare const nc: NatsConnection;
 * declare const text: string;
 * const results = await deployOnAgents(nc, text, { hosts: ["dmz-1"] });
 * ```
 */
export async function deployOnAgents(
  nc: NatsConnection,
  fleet: string,
  options: { hosts: readonly string[]; dryRun?: boolean; timeoutMs?: number },
): Promise<AgentDeployResult[]> {
  return await Promise.all(options.hosts.map(async (host): Promise<AgentDeployResult> => {
    try {
      const reply = await requestAgentCommand(nc, host, "deploy", {
        fleet,
        ...(options.dryRun ? { dry_run: true } : {}),
      }, { timeoutMs: options.timeoutMs ?? DEFAULT_AGENT_DEPLOY_TIMEOUT_MS });
      const parsed = DEPLOY_RESULT.safeParse(reply);
      if (!parsed.success) {
        return { host, results: [], error: `Bad deploy reply from swarm host ${host}` };
      }
      const results = parsed.data.results as DeckyDeployResult[];
      return {
        host,
        results,
        ...(parsed.data.error ? { error: `On swarm host ${host}: ${parsed.data.error}` } : {}),
      };
    } catch (e) {
      return { host, results: [], error: errorText(e) };
    }
  }));
}
