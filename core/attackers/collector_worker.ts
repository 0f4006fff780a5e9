// Light imports only: the job (database, journal reader) loads when the worker starts.
import { canarySpoolPaths } from "../journal/spool_paths.ts";
import type { WorkerDefinition } from "../workers/worker_definition.ts";

/**
 * The collector worker. Its first duty: ingest the canary listeners'
 * trigger journal into the database (in order, exactly once), publish each
 * stored trigger, and keep the listeners' active tokens snapshot fresh.
 * Reaches the database and the canary spool; listens on nothing.
 */
export const collectorWorker: WorkerDefinition = {
  name: "collector",
  description: "Stores the canary listeners' trigger journal and hands them the active tokens",
  critical: false,
  needs: (config) => {
    const spool = canarySpoolPaths(config.home).dir;
    return {
      listen: [],
      connect: [],
      database: true,
      docker: false,
      read: [spool],
      write: [spool],
    };
  },
  async start(config, { log, bus }) {
    const { openDatabase, createRepositories } = await import("../db/mod.ts");
    const { CanaryJournalIngest } = await import("./canary_journal_ingest.ts");
    const handle = await openDatabase(config.dbUrl);
    const ingest = new CanaryJournalIngest({
      journal: `canary@${config.hostUuid}`,
      spool: canarySpoolPaths(config.home),
      repository: createRepositories(handle).canaryJournals,
      bus,
      log,
    });
    ingest.start();
    return {
      extras: () => ({ ...ingest.stats() }),
      close: async () => {
        await ingest.close();
        await handle.close();
      },
    };
  },
};
