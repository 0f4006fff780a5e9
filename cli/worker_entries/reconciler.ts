// `decnet up` runs the reconciler worker's Deno Worker from this module (see ../worker_entry_url.ts):
// what it reaches, dynamic imports included, is all that Worker's isolate loads.
import { runWorkerThread } from "../../core/workers/worker_thread.ts";
import { reconcilerWorker } from "../../core/fleet/reconciler_worker.ts";

runWorkerThread(reconcilerWorker);
