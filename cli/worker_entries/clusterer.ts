// `decnet up` runs the clusterer worker's Deno Worker from this module (see ../worker_entry_url.ts):
// what it reaches, dynamic imports included, is all that Worker's isolate loads.
import { runWorkerThread } from "../../core/workers/worker_thread.ts";
import { clustererWorker } from "../../core/campaigns/clusterer_worker.ts";

runWorkerThread(clustererWorker);
