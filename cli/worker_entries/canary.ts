// `decnet up` runs the canary worker's Deno Worker from this module (see ../worker_entry_url.ts):
// what it reaches, dynamic imports included, is all that Worker's isolate loads.
import { runWorkerThread } from "../../core/workers/worker_thread.ts";
import { canaryWorker } from "../../canary/canary_worker.ts";

runWorkerThread(canaryWorker);
