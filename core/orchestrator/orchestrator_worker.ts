import { idleWorker } from "../workers/idle_worker.ts";

/** The orchestrator worker: realism ticks through Docker exec. Reaches the Docker socket; listens on nothing. */
export const orchestratorWorker = idleWorker({
  name: "orchestrator",
  description: "Realism ticks: SSH traffic, file plants and edits, email between deckies",
  needs: (config) => ({
    listen: [],
    connect: config.realismLlm && config.realismLlm !== "fake"
      ? [new URL(config.realismLlmUrl).host]
      : [],
    database: true,
    docker: true,
    read: [],
    write: [],
  }),
});
