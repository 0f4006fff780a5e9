/**
 * The orchestrator: realism ticks that make the fleet look inhabited.
 *
 * @module
 */
export { orchestratorWorker } from "./orchestrator_worker.ts";
