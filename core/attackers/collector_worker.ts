// Light imports only: the job (database, journal reader) loads when the worker starts.
import { canarySpoolPaths } from "../journal/spool_paths.ts";
import { snifferSpoolPaths } from "../sniffer/sniffer_spool_paths.ts";
import { defineWorker } from "../workers/worker_definition.ts";

/**
 * The collector worker. It ingests the canary listeners' trigger journal
 * into the database (in order, exactly once, floods rolled up), publishes
 * each row written, keeps the listeners' active tokens snapshot fresh and
 * prunes trigger rows past their retention; and it follows every sensor
 * container's log through the Docker API into service events, attackers and
 * credentials; and it hands the sniffer its targets (this host's deckies)
 * and stores the sniffer's fingerprint journal on attacker records.
 * Reaches the database, Docker and the canary and sniffer spools; listens
 * on nothing.
 */
export const collectorWorker = defineWorker({
  name: "collector",
  description:
    "Stores the canary listeners' trigger journal and the sensors' events; hands the listeners the active tokens",
  critical: false,
  configKeys: [
    "dbUrl",
    "dockerHost",
    "home",
    "hostUuid",
    "canaryTriggerRate",
    "canaryTriggerCap",
    "canaryTriggerRetentionDays",
    "eventsRetentionDays",
    "benignSources",
    "asnTable",
  ],
  needs: (config) => {
    const spool = canarySpoolPaths(config.home).dir;
    const sniffer = snifferSpoolPaths(config.home).dir;
    return {
      listen: [],
      connect: [],
      database: true,
      docker: true,
      read: config.asnTable ? [spool, sniffer, config.asnTable] : [spool, sniffer],
      write: [spool, sniffer],
    };
  },
  async start(config, { log, bus }) {
    const { openDatabase, createRepositories } = await import("../db/mod.ts");
    const { CanaryJournalIngest } = await import("./canary_journal_ingest.ts");
    const { startRetention } = await import("./start_retention.ts");
    const { SensorLogIngest } = await import("./sensor_log_ingest.ts");
    const { listSensorContainers } = await import("./list_sensor_containers.ts");
    const { benignSources } = await import("./benign_sources.ts");
    const { loadAsnTable } = await import("./load_asn_table.ts");
    const { SnifferJournalIngest } = await import("./sniffer_journal_ingest.ts");
    const { collectorExtras } = await import("./collector_extras.ts");
    const { recordTcpFingerprint } = await import("./record_tcp_fingerprint.ts");
    const { recordTcpProbe } = await import("./record_tcp_probe.ts");
    const { snifferTargetsOf } = await import("./sniffer_targets_of.ts");
    const asnTable = config.asnTable ? await loadAsnTable(config.asnTable, log) : undefined;
    const { openDocker } = await import("../docker/mod.ts");
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
    const docker = openDocker({ dockerHost: config.dockerHost });
    const sensors = new SensorLogIngest({
      docker,
      repository: repos.attackers,
      bus,
      log: log.child("sensors"),
      listContainers: () => listSensorContainers(docker, config.hostUuid),
      asnOf: asnTable ? (ip) => asnTable.lookup(ip) : undefined,
      benignSources: async () =>
        benignSources(
          (await repos.fleet.listDeckies()).flatMap((d) => d.ip ? [d.ip] : []),
          config.benignSources,
        ),
    });
    sensors.start();
    // Where each network crosses the host (a macvlan parent may hold no address to find it by).
    // Without Docker the sniffer falls back to the host's addresses: said once per outage.
    let networksFailing = false;
    const dockerNetworks = async () => {
      try {
        const networks = await docker.listNetworks();
        if (networksFailing) log.info("docker networks can be listed again");
        networksFailing = false;
        return networks;
      } catch (e) {
        if (!networksFailing) {
          log.warn("cannot list docker networks; the sniffer finds interfaces by address", {
            error: String(e),
          });
        }
        networksFailing = true;
        return [];
      }
    };
    // The fleet's own addresses are benign: deckies talking to each other make no attacker.
    let isBenign = benignSources([], config.benignSources);
    const fingerprints = new SnifferJournalIngest({
      journal: `sniffer@${config.hostUuid}`,
      spool: snifferSpoolPaths(config.home),
      // The canary journals' cursor table keys cursors by journal name; an empty batch moves it.
      cursors: {
        cursor: (journal) => repos.canaryJournals.cursor(journal),
        advance: async (journal, from, to) => {
          await repos.canaryJournals.ingest(journal, from, to, []);
        },
      },
      listTargets: async () => {
        const all = await repos.fleet.listDeckies();
        isBenign = benignSources(all.flatMap((d) => d.ip ? [d.ip] : []), config.benignSources);
        const mine = await repos.fleet.list({ hostUuid: config.hostUuid });
        return snifferTargetsOf(mine, await dockerNetworks());
      },
      store: async (event) => {
        await recordTcpFingerprint({ repos, bus, isBenign }, event);
      },
      storeProbe: async (probe) => {
        await recordTcpProbe({ repos, bus, isBenign }, probe);
      },
      bus,
      log: log.child("sniffer"),
    });
    fingerprints.start();
    const retention = startRetention({
      what: "canary triggers",
      prune: (o) => repos.canary.pruneExpiredTriggers(o),
      retentionDays: config.canaryTriggerRetentionDays,
      log: log.child("retention"),
    });
    const eventRetention = startRetention({
      what: "sensor events",
      prune: ({ before, limit }) => repos.attackers.pruneServiceEvents(before.toISOString(), limit),
      retentionDays: config.eventsRetentionDays,
      log: log.child("retention"),
    });
    return {
      extras: () => collectorExtras({ canary: ingest, sensors, sniffer: fingerprints }),
      close: async () => {
        await retention.close();
        await eventRetention.close();
        await fingerprints.close();
        await sensors.close();
        await docker.close();
        await ingest.close();
        await handle.close();
      },
    };
  },
});
