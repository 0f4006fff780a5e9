// `decnet up` runs the agent-reconciler worker's Deno Worker from this module (see ../worker_entry_url.ts):
// what it reaches, dynamic imports included, is all that Worker's isolate loads.
import { runWorkerThread } from "../../core/workers/worker_thread.ts";
import { agentReconcilerWorker } from "../../core/fleet/agent_reconciler_worker.ts";

runWorkerThread(agentReconcilerWorker);
