// Light imports only: the job (database, Docker client) loads when the worker starts.
import { defineWorker } from "../workers/worker_definition.ts";
import type { ReconcileReport } from "./reconcile_fleet.ts";
import { stateFilePaths } from "./state_file_paths.ts";

/**
 * The reconciler worker: every DECNET_RECONCILE_INTERVAL seconds (and once
 * at start) one {@linkcode reconcileFleet} pass over the state file, this
 * host's rows and Docker, then puts the ssh fleet port's gate back on
 * deckies whose base Docker restarted (see {@linkcode regateRestartedDeckies}).
 * Its heartbeat reports the last pass and whether Docker answered.
 */
export const reconcilerWorker = defineWorker({
  name: "reconciler",
  description: "Keeps the state file, the database and Docker's containers converged",
  critical: false,
  configKeys: ["dbUrl", "dockerHost", "hostUuid", "home", "reconcileIntervalSeconds"],
  needs: (config) => {
    // The state file is replaced by writing a temporary file in its own directory, then renaming.
    const { path, tmpDir } = stateFilePaths(config.home);
    return {
      listen: [],
      connect: [],
      database: true,
      docker: true,
      read: [path, tmpDir],
      write: [path, tmpDir],
    };
  },
  async start(config, { log, bus }) {
    const { openFleetContext } = await import("./open_fleet_context.ts");
    const { reconcileFleet } = await import("./reconcile_fleet.ts");
    const { regateRestartedDeckies } = await import("./regate_restarted_deckies.ts");
    const context = await openFleetContext(config, { log, bus });
    const intervalMs = Math.max(1, config.reconcileIntervalSeconds) * 1000;
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
        await regateRestartedDeckies(context, gatedAt).catch((e) =>
          log.warn("ssh fleet ports not checked", { error: e })
        );
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
        await context.close();
      },
    };
  },
});

function countsOf(report: ReconcileReport): Record<string, number> {
  const { dockerReachable: _reachable, error: _error, ...counts } = report;
  return counts;
}
