import type { AppDeps } from "../../app_deps.ts";
import type { WorkerHealth } from "../../../core/workers/mod.ts";

/** A worker as `GET /api/v1/workers` answers it (what the worker table island receives). */
export type WorkerView = WorkerHealth & {
  /** Whether start and stop requests reach what runs it (false: the sniffer of its own unit). */
  controllable: boolean;
};

/**
 * Every worker's health, each with whether the worker table may start and
 * stop it: every worker of `decnet up`, and the sniffer only when `decnet up`
 * runs it (DECNET_SNIFFER=on); a sniffer of its own systemd unit, which the
 * collector reports for, is started and stopped with systemctl.
 *
 * @example
 * ```ts
 * import type { AppDeps } from "../../app_deps.ts";
 * import { workerViews } from "./worker_views.ts";
 * declare const deps: AppDeps;
 * workerViews(deps).filter((w) => w.controllable);
 * ```
 */
export function workerViews(deps: Pick<AppDeps, "workerHealth" | "config">): WorkerView[] {
  return deps.workerHealth().map((w) => ({
    ...w,
    controllable: w.name !== "sniffer" || deps.config.sniffer,
  }));
}
