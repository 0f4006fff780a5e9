// Light imports only: the job (Docker client) loads when the worker starts.
import { defineWorker } from "../workers/worker_definition.ts";
import { stateFilePaths } from "./state_file_paths.ts";

/**
 * The swarm agent's reconciler: the same passes as the reconciler worker
 * (see {@linkcode startReconcileLoop}) with no database. The state file is
 * this host's record: each pass sets its deckies' states from Docker's
 * containers and puts the ssh fleet port's gate back on a restarted base.
 * Rows are kept in memory only, so that a state is logged and published on
 * the bus when it changes, not at every pass. No database URL reaches it.
 */
export const agentReconcilerWorker = defineWorker({
  name: "agent-reconciler",
  description: "Keeps this agent's state file and Docker's containers converged (no database)",
  critical: false,
  configKeys: ["dockerHost", "hostUuid", "home", "reconcileIntervalSeconds"],
  needs: (config) => {
    // The state file is replaced by writing a temporary file in its own directory, then renaming.
    const { path, tmpDir } = stateFilePaths(config.home);
    return {
      listen: [],
      connect: [],
      database: false,
      docker: true,
      read: [path, tmpDir],
      write: [path, tmpDir],
    };
  },
  async start(config, { log, bus }) {
    const { openDocker } = await import("../docker/mod.ts");
    const { fleetContextFor } = await import("./fleet_context_for.ts");
    const { memoryFleetRows } = await import("./memory_fleet_rows.ts");
    const { startReconcileLoop } = await import("./start_reconcile_loop.ts");
    const now = () => new Date();
    const docker = openDocker({ dockerHost: config.dockerHost });
    const context = fleetContextFor(config, { docker, fleet: memoryFleetRows(now), bus, log, now });
    const loop = startReconcileLoop(context, config.reconcileIntervalSeconds);
    return {
      extras: loop.extras,
      close: async () => {
        await loop.close();
        await docker.close();
      },
    };
  },
});
