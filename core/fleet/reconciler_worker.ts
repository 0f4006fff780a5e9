// Light imports only: the job (database, Docker client) loads when the worker starts.
import { defineWorker } from "../workers/worker_definition.ts";
import { stateFilePaths } from "./state_file_paths.ts";

/**
 * The reconciler worker: every DECNET_RECONCILE_INTERVAL seconds (and once
 * at start) one {@linkcode reconcileFleet} pass over the state file, this
 * host's rows and Docker, then puts the ssh fleet port's gate back on
 * deckies whose base Docker restarted (see {@linkcode startReconcileLoop}).
 * Its heartbeat reports the last pass and whether Docker answered; a Docker
 * that does not answer (a master without local deckies) is only reported.
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
    const { startReconcileLoop } = await import("./start_reconcile_loop.ts");
    const context = await openFleetContext(config, { log, bus });
    const loop = startReconcileLoop(context, config.reconcileIntervalSeconds);
    return {
      extras: loop.extras,
      close: async () => {
        await loop.close();
        await context.close();
      },
    };
  },
});
