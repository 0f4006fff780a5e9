// `decnet up` runs the orchestrator worker's Deno Worker from this module (see ../worker_entry_url.ts):
// what it reaches, dynamic imports included, is all that Worker's isolate loads.
import { runWorkerThread } from "../../core/workers/worker_thread.ts";
import { orchestratorWorker } from "../../core/orchestrator/orchestrator_worker.ts";

runWorkerThread(orchestratorWorker);
