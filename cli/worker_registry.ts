// Each definition is imported from its own file, not its folder's mod.ts: a
// Deno Worker builds this registry first, and must not load other jobs' code
// (and their libraries) along with it. Definitions load their job lazily.
import { canaryWorker } from "../canary/canary_worker.ts";
import { alertsWorker } from "../core/alerts/alerts_worker.ts";
import { collectorWorker } from "../core/attackers/collector_worker.ts";
import { clustererWorker } from "../core/campaigns/clusterer_worker.ts";
import { reconcilerWorker } from "../core/fleet/reconciler_worker.ts";
import { orchestratorWorker } from "../core/orchestrator/orchestrator_worker.ts";
import { WorkerRegistry } from "../core/workers/worker_registry.ts";
import { apiWorker } from "../web/api_worker.ts";

/** Every worker decnet knows, in start order (the CLI is the one room that may import them all). */
export function buildWorkerRegistry(): WorkerRegistry {
  return new WorkerRegistry()
    .register(apiWorker)
    .register(canaryWorker)
    .register(collectorWorker)
    .register(orchestratorWorker)
    .register(reconcilerWorker)
    .register(clustererWorker)
    .register(alertsWorker);
}
