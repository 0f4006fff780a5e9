/**
 * The fleet: deploy and teardown, the state file, and the reconciler.
 *
 * @module
 */
export { reconcilerWorker } from "./reconciler_worker.ts";
