import { errorText } from "../log/mod.ts";
import type { Bus } from "../bus/mod.ts";
import { createRepositories, openDatabase } from "../db/mod.ts";
import { openDocker } from "../docker/mod.ts";
import type { Logger } from "../log/mod.ts";
import { createLlmBackend, LLMCircuitBreaker, PersonaPool } from "../../realism/mod.ts";
import { canaryCultivator } from "./canary_cultivator.ts";
import type { CanaryCultivator } from "./canary_cultivator.ts";
import { Orchestrator } from "./orchestrator.ts";
import type { TickResult } from "./orchestrator.ts";
import type { OrchestratorConfig } from "./orchestrator_worker.ts";

/** Options for {@linkcode startOrchestrator}. */
export interface StartOrchestratorOptions {
  log: Logger;
  bus: Bus;
  /** `--llm` / `--no-llm`. */
  llmOverride?: boolean | null;
  /** Run one tick right away and stop (`--once`); the loop is not started. */
  once?: boolean;
  /** @default canaryCultivator(config) */
  cultivate?: CanaryCultivator;
}

/** A running orchestrator loop. */
export interface OrchestratorHandle extends AsyncDisposable {
  orchestrator: Orchestrator;
  /** The result of the `once` tick. */
  onceResult?: TickResult;
  extras(): Record<string, string | number | boolean | null>;
  /** Stops the loop, waits for a tick in flight, closes Docker and the database. */
  close(): Promise<void>;
}

/**
 * The orchestrator job: opens the database and Docker, builds the
 * {@linkcode Orchestrator} from the configuration, and ticks every
 * `orchestratorIntervalSeconds`, the first tick one interval after start.
 * A failing tick is logged and the loop goes on.
 *
 * @example
 * ```ts
 * import type { Bus } from "../bus/base.ts";
 * import type { Config } from "../config/config.ts";
 * import type { Logger } from "../log/logger.ts";
 * declare const bus: Bus;
 * declare const config: Config;
 * declare const log: Logger;
 * await using job = await startOrchestrator(config, { log, bus });
 * ```
 */
export async function startOrchestrator(
  config: OrchestratorConfig,
  options: StartOrchestratorOptions,
): Promise<OrchestratorHandle> {
  const { log, bus } = options;
  const handle = await openDatabase(config.dbUrl);
  const docker = openDocker({ dockerHost: config.dockerHost });
  // On a master, the deckies of swarm hosts are acted on through their agents. Loaded only
  // there: the NATS client and the swarm's signing libraries are of no use to another host.
  const link = !config.swarmNatsUrl || !config.swarmNatsCa ? null : await import(
    "./master_swarm_link.ts"
  ).then(({ openMasterSwarmLink }) =>
    openMasterSwarmLink({
      home: config.home,
      url: config.swarmNatsUrl,
      caFile: config.swarmNatsCa,
      log,
    })
  ).catch((e) => {
    log.warn("cannot link to the swarm; swarm hosts' deckies are left alone", {
      error: errorText(e),
    });
    return null;
  });
  const orchestrator = new Orchestrator({
    repos: createRepositories(handle),
    docker,
    agents: link?.request ?? null,
    bus,
    log,
    personaPool: new PersonaPool({ configuredPath: config.realismPersonas }),
    makeLlm: (model) =>
      createLlmBackend({
        ...config,
        realismLlm: config.realismLlm === "" ? "ollama" : config.realismLlm,
        realismModel: model ?? config.realismModel,
      }),
    llmByDefault: config.realismLlm !== "",
    llmOverride: options.llmOverride ?? null,
    llmTimeoutMs: config.realismTimeoutSeconds * 1000,
    breaker: new LLMCircuitBreaker(),
    cultivate: options.cultivate ?? canaryCultivator(config),
  });
  const stop = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<unknown> = Promise.resolve();
  const runTick = async (): Promise<TickResult | undefined> => {
    try {
      return await orchestrator.tick(stop.signal);
    } catch (e) {
      log.error("tick failed", { tick: orchestrator.ticks, error: errorText(e) });
      return undefined;
    }
  };
  const schedule = () => {
    if (stop.signal.aborted) return;
    timer = setTimeout(() => {
      inFlight = runTick().finally(schedule);
    }, config.orchestratorIntervalSeconds * 1000);
  };
  let onceResult: TickResult | undefined;
  if (options.once) onceResult = await runTick();
  else schedule();
  let closed: Promise<void> | undefined;
  const close = () =>
    closed ??= (async () => {
      stop.abort(new Error("orchestrator stopping"));
      clearTimeout(timer);
      await inFlight.catch(() => {});
      await link?.close();
      await docker.close();
      await handle.close();
    })();
  return {
    orchestrator,
    onceResult,
    extras: () => orchestrator.extras(),
    close,
    [Symbol.asyncDispose]: close,
  };
}
