// `decnet up` runs the agent-collector worker's Deno Worker from this module (see ../worker_entry_url.ts):
// what it reaches, dynamic imports included, is all that Worker's isolate loads.
import { runWorkerThread } from "../../core/workers/worker_thread.ts";
import { agentCollectorWorker } from "../../core/swarm/agent_collector_worker.ts";

runWorkerThread(agentCollectorWorker);
