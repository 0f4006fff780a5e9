import { join } from "node:path";
import { idleWorker } from "../workers/idle_worker.ts";

/** The reconciler worker: state file <-> database <-> docker inspect. */
export const reconcilerWorker = idleWorker({
  name: "reconciler",
  description: "Keeps the state file, the database and Docker's containers converged",
  needs: (config) => ({
    listen: [],
    connect: [],
    database: true,
    docker: true,
    read: [join(config.home, "decnet-state.json")],
    write: [],
  }),
});
