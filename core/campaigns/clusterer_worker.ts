// Light imports only: the job (database, clustering) loads when the worker starts.
import { databaseOnlyNeeds, defineWorker } from "../workers/worker_definition.ts";

/**
 * The clusterer worker: at start, on new attacker evidence on the bus
 * (debounced) and every minute, it clusters the attacker records into
 * identities and campaigns, writes them in one transaction and announces
 * `identity.*` and `campaign.*` events. The fleet's own addresses and the
 * operator's benign sources are left out. Touches the database only.
 */
export const clustererWorker = defineWorker({
  name: "clusterer",
  description: "Clusters attacker records into identities and campaigns",
  critical: false,
  configKeys: ["dbUrl", "benignSources"],
  needs: databaseOnlyNeeds,
  async start(config, { log, bus }) {
    const { openDatabase, createRepositories } = await import("../db/mod.ts");
    const { TOPIC_PATTERNS } = await import("../bus/mod.ts");
    const { benignSources } = await import("../attackers/benign_sources.ts");
    const { AttackerObservations } = await import("./attacker_observations.ts");
    const { runClustering } = await import("./run_clustering.ts");
    const { newCampaignId } = await import("./new_campaign_id.ts");
    const { startClusteringSchedule } = await import("./clustering_schedule.ts");
    const handle = await openDatabase(config.dbUrl);
    const repos = createRepositories(handle);
    const inputs = new AttackerObservations(repos.campaigns);
    let last: Awaited<ReturnType<typeof runClustering>> | undefined;
    const schedule = startClusteringSchedule({
      log,
      run: async () => {
        const isBenign = benignSources(
          (await repos.fleet.listDeckies()).flatMap((d) => d.ip ? [d.ip] : []),
          config.benignSources,
        );
        const started = performance.now();
        last = await runClustering({
          campaigns: repos.campaigns,
          inputs,
          bus,
          isBenign,
          newId: () => newCampaignId(new Date(), Math.random),
          now: () => new Date(),
        });
        const fields = { ...last, ms: Math.round(performance.now() - started) };
        if (last.events > 0) log.info("clustered", fields);
        else log.debug("clustered", fields);
      },
    });
    // New evidence on any attacker record (observed, credential, TCP fingerprint), and an
    // admin's manual merge or split, which the next run must take into account.
    const evidence = bus.subscribe(TOPIC_PATTERNS.attacker, () => schedule.poke());
    const manual = bus.subscribe(TOPIC_PATTERNS.campaign, ({ payload }) => {
      if (payload.manual === true) schedule.poke();
    });
    return {
      extras: () => ({
        ...schedule.stats(),
        attackers: last?.attackers ?? null,
        identities: last?.identities ?? null,
        campaigns: last?.campaigns ?? null,
      }),
      close: async () => {
        evidence.unsubscribe();
        manual.unsubscribe();
        await schedule.close();
        await handle.close();
      },
    };
  },
});
