/**
 * Workers and their supervisor: the registry of decnet's long-running jobs,
 * least-privilege Deno Worker permissions, heartbeats, health tracking,
 * and restart with backoff.
 *
 * @module
 */
export type {
  WorkerContext,
  WorkerDefinition,
  WorkerHandle,
  WorkerNeeds,
} from "./worker_definition.ts";
export { databaseOnlyNeeds, defineWorker, scopedConfig } from "./worker_definition.ts";
export { WorkerRegistry } from "./worker_registry.ts";
export { LIBRARY_ENV_VARIABLES, workerPermissions } from "./worker_permissions.ts";
export type { WorkerPermissions, WorkerPermissionsOptions } from "./worker_permissions.ts";
export { restartDelayMs } from "./restart_backoff.ts";
export type { RestartBackoffOptions } from "./restart_backoff.ts";
export { HEARTBEAT_INTERVAL_MS, startHeartbeat } from "./heartbeat.ts";
export type { Heartbeat, HeartbeatOptions } from "./heartbeat.ts";
export { HEALTHY_WITHIN_MS, WorkerHealthTracker } from "./health_tracker.ts";
export type { WorkerHealth } from "./health_tracker.ts";
export { runWorker } from "./worker_runtime.ts";
export type { RunningWorker, RunWorkerOptions } from "./worker_runtime.ts";
export { isWorkerThread, runWorkerThread, WORKER_NAME_PREFIX } from "./worker_thread.ts";
export { Supervisor } from "./supervisor.ts";
export type { SupervisedState, SupervisedWorker, SupervisorOptions } from "./supervisor.ts";
