// Light imports only: the job (journal readers, NATS client, Docker) loads when the worker starts.
import { canarySpoolPaths } from "../journal/spool_paths.ts";
import { snifferSpoolPaths } from "../sniffer/sniffer_spool_paths.ts";
import { stateFilePaths } from "../fleet/state_file_paths.ts";
import { defineWorker } from "../workers/worker_definition.ts";
import { addAgentNatsAccess } from "./add_agent_nats_access.ts";
import { swarmFiles } from "./swarm_files.ts";

/**
 * The collector of a swarm agent (DECNET_MODE=agent), which holds no
 * database: the same ingests as the collector worker (the canary trigger
 * journal, every sensor container's log through the Docker API, the
 * sniffer's fingerprint journal), but each batch goes to the master through
 * JetStream as one event, and each journal's cursor (a file under
 * `<home>/swarm/cursors`) moves only once JetStream has it. While the link
 * or the master is down the journals and the containers' logs wait on this
 * host and the ingests retry; the canary listeners keep the last active
 * tokens the master sent. It also sends the master this host's deckies
 * (its state file) as `fleet_state` snapshots. Reaches Docker and the swarm's nats-server; reads
 * and writes the canary and sniffer spools; listens on nothing.
 */
export const agentCollectorWorker = defineWorker({
  name: "agent-collector",
  description:
    "Sends this agent's canary triggers, sensor events and TCP fingerprints to the swarm master; hands the listeners the active tokens",
  critical: false,
  configKeys: ["dockerHost", "home", "hostUuid", "asnTable"],
  needs: (config) => {
    const spools = [canarySpoolPaths(config.home).dir, snifferSpoolPaths(config.home).dir];
    const read = [...spools, swarmFiles(config.home).dir, stateFilePaths(config.home).path];
    return {
      listen: [],
      connect: [],
      database: false,
      docker: true,
      read: config.asnTable ? [...read, config.asnTable] : read,
      write: [...spools, swarmFiles(config.home).agentCursors],
    };
  },
  // The nats-server is the one `decnet agent join` stored, not a setting.
  resolveNeeds: addAgentNatsAccess,
  async start(config, { log, bus }) {
    const { requireAgentSwarm } = await import("./require_agent_swarm.ts");
    const joined = await requireAgentSwarm(config.home, "start the agent collector");
    const { connectSwarmNats } = await import("./connect_swarm_nats.ts");
    const { agentSubjects } = await import("./swarm_subjects.ts");
    const { publishAgentEvent } = await import("./publish_agent_event.ts");
    const { AgentCursorFile } = await import("./agent_cursor_file.ts");
    const { AgentBatchOutbox } = await import("./agent_batch_outbox.ts");
    const { AgentCanaryJournals } = await import("./agent_canary_journals.ts");
    const { AgentSensorLogs } = await import("./agent_sensor_logs.ts");
    const { AgentSnifferBatches } = await import("./agent_sniffer_batches.ts");
    const { AgentActiveTokens } = await import("./agent_active_tokens.ts");
    const { CanaryJournalIngest } = await import("../attackers/canary_journal_ingest.ts");
    const { SensorLogIngest } = await import("../attackers/sensor_log_ingest.ts");
    const { SnifferJournalIngest } = await import("../attackers/sniffer_journal_ingest.ts");
    const { collectorExtras } = await import("../attackers/collector_extras.ts");
    const { listSensorContainers } = await import("../attackers/list_sensor_containers.ts");
    const { loadAsnTable } = await import("../attackers/load_asn_table.ts");
    const { snifferTargetsOf } = await import("../attackers/sniffer_targets_of.ts");
    const { StateFile } = await import("../fleet/state_file.ts");
    const { AgentFleetSnapshots } = await import("./agent_fleet_snapshots.ts");
    const { openDocker } = await import("../docker/mod.ts");
    const asnTable = config.asnTable ? await loadAsnTable(config.asnTable, log) : undefined;
    const nc = await connectSwarmNats({
      url: joined.natsUrl,
      caFile: joined.caFile,
      creds: joined.creds,
      name: `decnet-agent-${joined.name}`,
      inboxPrefix: agentSubjects(joined.name).inboxPrefix,
      reconnect: true,
    });
    const outbox = new AgentBatchOutbox({
      host: joined.name,
      cursors: new AgentCursorFile(swarmFiles(config.home).agentCursors),
      publish: async (event) => {
        await publishAgentEvent(nc, joined.name, event);
      },
    });
    const canarySpool = canarySpoolPaths(config.home);
    const tokens = new AgentActiveTokens(nc, {
      host: joined.name,
      tokensFile: canarySpool.tokensFile,
    });
    const ingest = new CanaryJournalIngest({
      journal: `canary@${config.hostUuid}`,
      spool: canarySpool,
      repository: new AgentCanaryJournals(outbox, tokens),
      bus,
      log,
    });
    ingest.start();
    const docker = openDocker({ dockerHost: config.dockerHost });
    const sensors = new SensorLogIngest({
      docker,
      repository: new AgentSensorLogs(outbox),
      bus,
      log: log.child("sensors"),
      listContainers: () => listSensorContainers(docker, config.hostUuid),
      asnOf: asnTable ? (ip) => asnTable.lookup(ip) : undefined,
      // The master decides which sources are benign (it knows every host's deckies).
      benignSources: () => Promise.resolve(() => false),
    });
    sensors.start();
    const sniffer = new AgentSnifferBatches(outbox);
    const stateFile = new StateFile(config.home, config.hostUuid);
    const fingerprints = new SnifferJournalIngest({
      journal: `sniffer@${config.hostUuid}`,
      spool: snifferSpoolPaths(config.home),
      cursors: sniffer,
      // This host's deckies are in its state file (an agent has no fleet table).
      listTargets: async () => {
        const networks = await docker.listNetworks().catch((e) => {
          log.debug("cannot list docker networks; the sniffer finds interfaces by address", {
            error: String(e),
          });
          return [];
        });
        return snifferTargetsOf(await stateFile.read(), networks);
      },
      store: (event, end) => sniffer.store(event, end),
      storeProbe: (probe, end) => sniffer.storeProbe(probe, end),
      bus,
      log: log.child("sniffer"),
    });
    fingerprints.start();
    // The reconciler keeps the state file; its deckies reach the master as whole snapshots.
    const fleetSnapshots = new AgentFleetSnapshots({
      read: () => stateFile.read(),
      publish: async (event) => {
        await publishAgentEvent(nc, joined.name, event);
      },
      now: () => new Date(),
      log: log.child("fleet"),
      // Reading a small local file: cheap enough to notice a change within two seconds.
      pollMs: 2000,
      refreshMs: 180_000,
    });
    fleetSnapshots.start();
    log.info("sending this host's events to the swarm master", {
      host: joined.name,
      nats: joined.natsUrl,
    });
    return {
      extras: () => ({
        ...collectorExtras({ canary: ingest, sensors, sniffer: fingerprints }),
        fleet_snapshots_sent: fleetSnapshots.published,
      }),
      close: async () => {
        await fleetSnapshots.close();
        await fingerprints.close();
        await sensors.close();
        await docker.close();
        await ingest.close();
        await nc.close();
      },
    };
  },
});
