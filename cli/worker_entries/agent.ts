// `decnet up` runs the agent worker's Deno Worker from this module (see ../worker_entry_url.ts):
// what it reaches, dynamic imports included, is all that Worker's isolate loads.
import { runWorkerThread } from "../../core/workers/worker_thread.ts";
import { agentWorker } from "../../core/swarm/agent_worker.ts";

runWorkerThread(agentWorker);
