// Each definition is imported from its own file, not its folder's mod.ts: a
// Deno Worker builds this registry first, and must not load other jobs' code
// (and their libraries) along with it. Definitions load their job lazily.
import { canaryWorker } from "../canary/canary_worker.ts";
import type { DecnetMode } from "../core/config/config.ts";
import { alertsWorker } from "../core/alerts/alerts_worker.ts";
import { collectorWorker } from "../core/attackers/collector_worker.ts";
import { clustererWorker } from "../core/campaigns/clusterer_worker.ts";
import { agentReconcilerWorker } from "../core/fleet/agent_reconciler_worker.ts";
import { reconcilerWorker } from "../core/fleet/reconciler_worker.ts";
import { orchestratorWorker } from "../core/orchestrator/orchestrator_worker.ts";
import { agentCollectorWorker } from "../core/swarm/agent_collector_worker.ts";
import { agentWorker } from "../core/swarm/agent_worker.ts";
import { swarmMasterWorker } from "../core/swarm/swarm_master_worker.ts";
import type { WorkerDefinition } from "../core/workers/worker_definition.ts";
import { WorkerRegistry } from "../core/workers/worker_registry.ts";
import { apiWorker } from "../web/api_worker.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";

/**
 * The workers `decnet up` runs in each DECNET_MODE, in start order.
 * - standalone: everything on one host.
 * - master: the control plane (API, database, canary listeners and their
 *   journal, clusterer, alerts, the orchestrator) and the swarm's master
 *   side (agents' events, heartbeats, active tokens); it needs no Docker (its
 *   reconciler and collector only report an unreachable one: it runs deckies
 *   only when a fleet file places some on it).
 * - agent: what runs beside the deckies, with no database and no JWT secret:
 *   canary listeners, the collector sending their triggers and the sensors'
 *   events to the master, the reconciler over the state file, and the agent
 *   answering the master's commands (no API: its health is its heartbeat).
 */
export const MODE_WORKERS: Readonly<Record<DecnetMode, readonly WorkerDefinition[]>> = Object
  .freeze({
    standalone: [
      apiWorker,
      canaryWorker,
      collectorWorker,
      orchestratorWorker,
      reconcilerWorker,
      clustererWorker,
      alertsWorker,
    ],
    master: [
      apiWorker,
      canaryWorker,
      collectorWorker,
      orchestratorWorker,
      reconcilerWorker,
      clustererWorker,
      alertsWorker,
      swarmMasterWorker,
    ],
    agent: [canaryWorker, agentCollectorWorker, agentReconcilerWorker, agentWorker],
  });

/**
 * The workers of `mode` in start order, or, without a mode, every worker
 * decnet knows (what a Worker thread looks its job up in). The CLI is the
 * one room that may import them all.
 *
 * @param mode DECNET_MODE; omitted: every mode's workers
 * @returns a registry of those workers
 * @example
 * ```ts
 * import { buildWorkerRegistry } from "./worker_registry.ts";
 * buildWorkerRegistry("agent").names(); // ["canary", "agent-collector", "agent-reconciler", "agent"]
 * ```
 */
export function buildWorkerRegistry(mode?: DecnetMode): WorkerRegistry {
  const registry = new WorkerRegistry();
  const modes = mode ? [mode] : Object.keys(MODE_WORKERS) as DecnetMode[];
  for (const m of modes) {
    for (const definition of MODE_WORKERS[m]) {
      // A worker of several modes is registered once; two different ones of one name throw.
      if (registry.get(definition.name) !== definition) registry.register(definition);
    }
  }
  return registry;
}

/**
 * The workers `decnet up` starts: the mode's, narrowed by `--only` or
 * `--skip` (names of every mode parse; one not of this mode is a usage error).
 *
 * @param mode DECNET_MODE
 * @param options `--only` / `--skip`
 * @returns worker names in start order
 * @throws {CliError} exit 2 for both flags, a worker of another mode, or nothing left
 * @example
 * ```ts
 * import { selectUpWorkers } from "./worker_registry.ts";
 * selectUpWorkers("agent", { only: ["agent"] }); // ["agent"]
 * ```
 */
export function selectUpWorkers(
  mode: DecnetMode,
  options: { only?: readonly string[]; skip?: readonly string[] } = {},
): string[] {
  if (options.only && options.skip) {
    throw new CliError("Use --only or --skip, not both", EXIT_USAGE);
  }
  const names = buildWorkerRegistry(mode).names();
  const foreign = [...options.only ?? [], ...options.skip ?? []].filter((n) => !names.includes(n));
  if (foreign.length) {
    throw new CliError(
      `Cannot select ${foreign.join(", ")}: not a worker of DECNET_MODE=${mode} (its workers: ${
        names.join(", ")
      })`,
      EXIT_USAGE,
    );
  }
  const enabled = names.filter((n) =>
    (options.only ? options.only.includes(n) : true) && !options.skip?.includes(n)
  );
  if (enabled.length === 0) throw new CliError("No worker left to run", EXIT_USAGE);
  return enabled;
}
