import { Planter } from "../../canary/planter.ts";
import type { PlanterOptions, SeedBaselineResult } from "../../canary/planter.ts";
import { SHELL_SERVICES } from "../../canary/plant_container.ts";
import type { AgentCommandRequest } from "../orchestrator/agent_decky_ops.ts";
import { agentDeckyOps } from "../orchestrator/agent_decky_ops.ts";
import type { AgentDeployResult } from "../swarm/deploy_on_agents.ts";
import { agentBait } from "./agent_bait.ts";
import type { FleetSpec } from "./fleet_spec.ts";

/** Options for {@linkcode seedAgentBaseline}. */
export interface SeedAgentBaselineOptions
  extends Pick<PlanterOptions, "docker" | "repos" | "bus" | "log" | "now" | "config" | "personas"> {
  /** The whole fleet file (every host's deckies): their services. */
  spec: FleetSpec;
}

/** The baseline of one decky on a swarm host. */
export interface AgentBaselineResult extends SeedBaselineResult {
  host: string;
}

/**
 * Plants the configured baseline canaries (`DECNET_CANARY_BASELINE`) on the
 * deckies an agent just deployed (or found deployed), as the local deploy
 * does on its own: the master issues and keeps each token, recorded with the
 * decky and its swarm host (`decky_host`), reads the decky through the
 * agent's `survey` command and sends the bait in its `plant` command. Never
 * throws: a failure is recorded on its token (state failed, the error naming
 * the decky and the host), so no token stays issued without its bait.
 * Generators already planted on that decky of that host are skipped.
 *
 * @param request sends a command to an agent
 * @param results what each agent's deploy did
 * @param options the planter's repositories, configuration and personas, and the fleet spec
 * @returns one result per decky that came up, with its host
 * @example
 * ```ts
 * import type { AgentCommandRequest } from "../orchestrator/agent_decky_ops.ts";
 * import type { AgentDeployResult } from "../swarm/deploy_on_agents.ts";
 * import type { SeedAgentBaselineOptions } from "./seed_agent_baseline.ts";
 * import { seedAgentBaseline } from "./seed_agent_baseline.ts";
 * declare const request: AgentCommandRequest;
 * declare const results: AgentDeployResult[];
 * declare const options: SeedAgentBaselineOptions;
 * for (const r of await seedAgentBaseline(request, results, options)) console.log(r.host, r.decky);
 * ```
 */
export async function seedAgentBaseline(
  request: AgentCommandRequest,
  results: readonly AgentDeployResult[],
  options: SeedAgentBaselineOptions,
): Promise<AgentBaselineResult[]> {
  const { spec, ...planter } = options;
  const out: AgentBaselineResult[] = [];
  for (const { host, results: deckies } of results) {
    for (const r of deckies) {
      if (r.status !== "deployed" && r.status !== "unchanged") continue;
      const services = spec.deckies.find((d) => d.name === r.name)?.services.map((s) => s.name) ??
        [];
      const ops = agentDeckyOps(request, { host, decky: r.name });
      const seeded = await new Planter({
        ...planter,
        survey: (container) => ops.survey(container),
        agents: agentBait(request),
      }).seedBaseline({
        name: r.name,
        services,
        container: shellContainer(r.name, r.containers, services),
        host,
      });
      out.push({ ...seeded, host });
    }
  }
  return out;
}

/**
 * Where bait goes on an agent's decky, from the containers its deploy
 * reported: the first shell service's (else the first service's) own container, else the base (a
 * sensor-served service's files live there), as plantContainer picks locally.
 */
function shellContainer(
  name: string,
  containers: readonly string[],
  services: readonly string[],
): string {
  const service = SHELL_SERVICES.find((s) => services.includes(s)) ?? services[0];
  return service !== undefined && containers.includes(`${name}-${service}`)
    ? `${name}-${service}`
    : name;
}
