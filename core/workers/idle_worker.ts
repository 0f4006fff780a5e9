import type { WorkerDefinition, WorkerNeeds } from "./worker_definition.ts";
import type { Config } from "../config/mod.ts";

/**
 * A worker whose job is not built yet: it runs under its real permissions,
 * holds its database connection and heartbeats as "idle", so supervision,
 * health and least privilege are exercised before the job lands.
 */
export function idleWorker(
  spec: { name: string; description: string; needs: (config: Config) => WorkerNeeds },
): WorkerDefinition<"dbUrl"> {
  return {
    name: spec.name,
    description: spec.description,
    critical: false,
    configKeys: ["dbUrl"],
    needs: spec.needs,
    async start(config, { log }) {
      const { openDatabase } = await import("../db/mod.ts");
      const handle = await openDatabase(config.dbUrl);
      log.info("idle: job not enabled in this build");
      return {
        extras: () => ({ status: "idle" }),
        close: () => handle.close(),
      };
    },
  };
}
