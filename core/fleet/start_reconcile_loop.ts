import type { WorkerHandle } from "../workers/worker_definition.ts";
import type { FleetContext } from "./fleet_context.ts";
import { reconcileFleet } from "./reconcile_fleet.ts";
import type { ReconcileReport } from "./reconcile_fleet.ts";
import { regateRestartedDeckies } from "./regate_restarted_deckies.ts";
import { rejoinRestartedDeckies } from "./rejoin_restarted_deckies.ts";

/**
 * The reconciler's loop, shared by the standalone/master reconciler and the
 * agent's (which keeps no database): one {@linkcode reconcileFleet} pass now
 * and every `intervalSeconds` after the previous one ended, then, on
 * deckies whose base Docker restarted, the joined containers started again
 * in its new namespace ({@linkcode rejoinRestartedDeckies}) and the ssh
 * fleet port's gate put back ({@linkcode regateRestartedDeckies}). Its extras report the last pass and
 * whether Docker answered (an unreachable Docker is logged once per outage);
 * `close()` waits for a pass under way.
 *
 * @param context the fleet it converges (its rows: the database, or the agent's memory)
 * @param intervalSeconds pause between two passes (at least 1)
 * @returns the worker's extras and close
 * @example
 * ```ts
 * import type { FleetContext } from "./fleet_context.ts";
 * import { startReconcileLoop } from "./start_reconcile_loop.ts";
 * declare const context: FleetContext;
 * const loop = startReconcileLoop(context, 60);
 * await loop.close();
 * ```
 */
export function startReconcileLoop(
  context: FleetContext,
  intervalSeconds: number,
): Required<Pick<WorkerHandle, "extras" | "close">> {
  const { log } = context;
  const intervalMs = Math.max(1, intervalSeconds) * 1000;
  let passes = 0;
  // Decky name to its base's StartedAt when its fleet port was last gated: kept across passes.
  const gatedAt = new Map<string, string>();
  let last: (ReconcileReport & { at: string }) | undefined;
  let running: Promise<void> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  const pass = async () => {
    const report = await reconcileFleet(context);
    if (report.dockerReachable && !report.error) {
      await rejoinRestartedDeckies(context).catch((e) =>
        log.warn("joined containers not checked", { error: e })
      );
      await regateRestartedDeckies(context, gatedAt).catch((e) =>
        log.warn("ssh fleet ports not checked", { error: e })
      );
    }
    // Once per outage: a master without local deckies may have no Docker at all.
    if (!report.dockerReachable && last?.dockerReachable !== false) {
      log.warn("Docker unreachable; the fleet is not reconciled until it answers", {
        error: report.error,
      });
    } else if (report.dockerReachable && last?.dockerReachable === false) {
      log.info("Docker reachable again");
    }
    passes++;
    last = { ...report, at: new Date().toISOString() };
    const quiet = report.inserted + report.deleted + report.changed === 0;
    if (!quiet) log.info("reconciled", countsOf(report));
    else log.debug("reconciled", countsOf(report));
  };
  const schedule = () => {
    if (closed) return;
    timer = setTimeout(() => {
      running = pass().finally(schedule);
    }, intervalMs);
  };
  running = pass().finally(schedule);
  return {
    extras: () => ({
      passes,
      interval_seconds: intervalMs / 1000,
      docker: last ? (last.dockerReachable ? "reachable" : "unreachable") : null,
      last_pass_at: last?.at ?? null,
      last_inserted: last?.inserted ?? null,
      last_deleted: last?.deleted ?? null,
      last_changed: last?.changed ?? null,
      last_unchanged: last?.unchanged ?? null,
      last_error: last?.error ?? null,
    }),
    close: async () => {
      closed = true;
      clearTimeout(timer);
      await running;
    },
  };
}

function countsOf(report: ReconcileReport): Record<string, number> {
  const { dockerReachable: _reachable, error: _error, ...counts } = report;
  return counts;
}
