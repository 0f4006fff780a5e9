// `decnet up` runs the swarm-master worker's Deno Worker from this module (see ../worker_entry_url.ts):
// what it reaches, dynamic imports included, is all that Worker's isolate loads.
import { runWorkerThread } from "../../core/workers/worker_thread.ts";
import { swarmMasterWorker } from "../../core/swarm/swarm_master_worker.ts";

runWorkerThread(swarmMasterWorker);
