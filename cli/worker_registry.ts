import { canaryWorker } from "../canary/canary_worker.ts";
import { reconcilerWorker } from "../core/fleet/mod.ts";
import { orchestratorWorker } from "../core/orchestrator/mod.ts";
import { WorkerRegistry } from "../core/workers/mod.ts";
import { apiWorker } from "../web/mod.ts";

/** Every worker decnet knows, in start order (the CLI is the one room that may import them all). */
export function buildWorkerRegistry(): WorkerRegistry {
  return new WorkerRegistry()
    .register(apiWorker)
    .register(canaryWorker)
    .register(orchestratorWorker)
    .register(reconcilerWorker);
}
