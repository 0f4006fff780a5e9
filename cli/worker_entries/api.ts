// `decnet up` runs the api worker's Deno Worker from this module (see ../worker_entry_url.ts):
// what it reaches, dynamic imports included, is all that Worker's isolate loads.
import { runWorkerThread } from "../../core/workers/worker_thread.ts";
import { apiWorker } from "../../web/api_worker.ts";

runWorkerThread(apiWorker);
