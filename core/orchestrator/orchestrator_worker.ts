import type { WorkerDefinition } from "../workers/worker_definition.ts";
import { defineWorker } from "../workers/worker_definition.ts";
import { personaPoolPaths } from "../../realism/persona_pool_paths.ts";
import type { Config } from "../config/mod.ts";
import type { WorkerNeeds } from "../workers/worker_definition.ts";
import { swarmFiles } from "../swarm/swarm_files.ts";
import { swarmNatsAddress } from "../swarm/swarm_nats_address.ts";

/** The configuration fields the orchestrator job (`startOrchestrator`) reads. */
export const ORCHESTRATOR_CONFIG_KEYS = [
  "dbUrl",
  "dockerHost",
  "realismPersonas",
  "realismLlm",
  "realismLlmUrl",
  "realismModel",
  "realismApiKey",
  "realismFakeOutput",
  "realismTimeoutSeconds",
  "canaryHttpBase",
  "canaryAllowLocal",
  "canaryDnsZone",
  "orchestratorIntervalSeconds",
  "home",
  "swarmNatsUrl",
  "swarmNatsCa",
] as const satisfies readonly (keyof Config)[];

/** What the orchestrator job reads of the configuration. */
export type OrchestratorConfig = Pick<Config, typeof ORCHESTRATOR_CONFIG_KEYS[number]>;

/**
 * What the orchestrator touches: the database, Docker, the LLM server when
 * configured, the persona pool; on a master (the swarm's NATS configured)
 * also nats-server, its CA and the master user's credentials (never the
 * trust chain's seeds).
 */
export function orchestratorNeeds(config: Config): WorkerNeeds {
  const swarm = config.swarmNatsUrl && config.swarmNatsCa
    ? { url: config.swarmNatsUrl, ca: config.swarmNatsCa }
    : null;
  return {
    listen: [],
    connect: [
      ...(config.realismLlm && config.realismLlm !== "fake"
        ? [new URL(config.realismLlmUrl).host]
        : []),
      // A name is resolved by resolveNeeds (see swarmNatsNetAccess): this is the address form.
      ...(swarm ? [swarmNatsAddress(swarm.url)] : []),
    ],
    database: true,
    docker: true,
    read: [
      personaPoolPaths({ configuredPath: config.realismPersonas })[0],
      ...(swarm ? [swarm.ca, swarmFiles(config.home).masterCreds] : []),
    ],
    write: [],
  };
}

/**
 * Builds the orchestrator worker; `llmOverride` carries `--llm`/`--no-llm`.
 */
export function makeOrchestratorWorker(
  options: { llmOverride?: boolean | null } = {},
): WorkerDefinition<keyof OrchestratorConfig> {
  return defineWorker({
    name: "orchestrator",
    description: "Realism ticks: SSH traffic, file plants and edits, email between deckies",
    critical: false,
    configKeys: ORCHESTRATOR_CONFIG_KEYS,
    needs: orchestratorNeeds,
    // A Worker granted only host:port cannot resolve the name: see swarmNatsNetAccess.
    resolveNeeds: async (config, needs) => {
      if (!config.swarmNatsUrl || !config.swarmNatsCa) return needs;
      const { swarmNatsNetAccess } = await import("../swarm/swarm_nats_net_access.ts");
      const llm = needs.connect.filter((c) => c !== swarmNatsAddress(config.swarmNatsUrl!));
      return { ...needs, connect: [...llm, ...await swarmNatsNetAccess(config.swarmNatsUrl)] };
    },
    async start(config, { log, bus }) {
      // Loaded here so workers that do not tick do not carry this code.
      const { startOrchestrator } = await import("./start_orchestrator.ts");
      const job = await startOrchestrator(config, { log, bus, llmOverride: options.llmOverride });
      log.info("orchestrator started", {
        interval_seconds: config.orchestratorIntervalSeconds,
        llm: job.orchestrator.llmEnabled,
      });
      return {
        banner: [
          `Orchestrator ticking every ${config.orchestratorIntervalSeconds}s (first tick in ${config.orchestratorIntervalSeconds}s)`,
        ],
        extras: () => job.extras(),
        close: () => job.close(),
      };
    },
  });
}

/** The orchestrator worker: realism ticks through Docker exec. Reaches the Docker socket; listens on nothing. */
export const orchestratorWorker: WorkerDefinition<keyof OrchestratorConfig> =
  makeOrchestratorWorker();
