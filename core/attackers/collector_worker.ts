// Light imports only: the job (database, journal reader) loads when the worker starts.
import { canarySpoolPaths } from "../journal/spool_paths.ts";
import { defineWorker } from "../workers/worker_definition.ts";

/**
 * The collector worker. Its first duty: ingest the canary listeners'
 * trigger journal into the database (in order, exactly once, floods rolled
 * up), publish each row written, keep the listeners' active tokens
 * snapshot fresh, and prune trigger rows past their retention. Reaches the
 * database and the canary spool; listens on nothing.
 */
export const collectorWorker = defineWorker({
  name: "collector",
  description: "Stores the canary listeners' trigger journal and hands them the active tokens",
  critical: false,
  configKeys: [
    "dbUrl",
    "home",
    "hostUuid",
    "canaryTriggerRate",
    "canaryTriggerCap",
    "canaryTriggerRetentionDays",
  ],
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
    const { startTriggerRetention } = await import("./start_trigger_retention.ts");
    const handle = await openDatabase(config.dbUrl);
    const repos = createRepositories(handle, {
      triggerRollup: {
        ratePerMinute: config.canaryTriggerRate,
        capPerMinute: config.canaryTriggerCap,
      },
    });
    const ingest = new CanaryJournalIngest({
      journal: `canary@${config.hostUuid}`,
      spool: canarySpoolPaths(config.home),
      repository: repos.canaryJournals,
      bus,
      log,
    });
    ingest.start();
    const retention = startTriggerRetention({
      repo: repos.canary,
      retentionDays: config.canaryTriggerRetentionDays,
      log: log.child("retention"),
    });
    return {
      extras: () => ({ ...ingest.stats() }),
      close: async () => {
        await retention.close();
        await ingest.close();
        await handle.close();
      },
    };
  },
});
