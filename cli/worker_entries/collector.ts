// `decnet up` runs the collector worker's Deno Worker from this module (see ../worker_entry_url.ts):
// what it reaches, dynamic imports included, is all that Worker's isolate loads.
import { runWorkerThread } from "../../core/workers/worker_thread.ts";
import { collectorWorker } from "../../core/attackers/collector_worker.ts";

runWorkerThread(collectorWorker);
