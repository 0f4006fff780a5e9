import type { WorkerHealth } from "../../core/workers/mod.ts";

/** A worker `name` as the health tracker reports a healthy, running one. */
export function runningWorker(name: string): WorkerHealth {
  return {
    name,
    healthy: true,
    state: "running",
    restarts: 0,
    uptime_seconds: 1,
    last_heartbeat: null,
    extras: {},
  };
}
