// Light imports only: the job (database, NATS client) loads when the worker starts.
import { defineWorker } from "../workers/worker_definition.ts";
import { swarmFiles } from "./swarm_files.ts";
import { swarmNatsAddress } from "./swarm_nats_address.ts";

/**
 * The swarm master worker (DECNET_MODE=master): over the swarm's
 * nats-server as the master user, it keeps the agents' event stream and
 * its durable consumer, applies the agents' batches to the database
 * (canary triggers, sensor events and attackers, TCP fingerprints, each
 * attributed to its host) and publishes what it stored on the bus as the
 * local collector does, records heartbeats on `swarm_hosts`, and answers
 * the agents' active tokens requests. Reaches the database and the
 * nats-server; reads the master user's credentials (not the trust chain)
 * and the CA; listens on nothing.
 */
export const swarmMasterWorker = defineWorker({
  name: "swarm-master",
  description:
    "Stores the swarm agents' triggers, sensor events and fingerprints and their heartbeats; answers their active tokens requests",
  critical: false,
  configKeys: [
    "dbUrl",
    "home",
    "swarmNatsUrl",
    "swarmNatsCa",
    "benignSources",
    "canaryTriggerRate",
    "canaryTriggerCap",
  ],
  needs: (config) => ({
    listen: [],
    connect: config.swarmNatsUrl ? [swarmNatsAddress(config.swarmNatsUrl)] : [],
    database: true,
    docker: false,
    read: [
      swarmFiles(config.home).masterCreds,
      ...(config.swarmNatsCa ? [config.swarmNatsCa] : []),
    ],
    write: [],
  }),
  // A name (not an address) must also be resolved: see swarmNatsNetAccess.
  resolveNeeds: async (config, needs) => {
    if (!config.swarmNatsUrl) return needs;
    const { swarmNatsNetAccess } = await import("./swarm_nats_net_access.ts");
    return { ...needs, connect: await swarmNatsNetAccess(config.swarmNatsUrl) };
  },
  async start(config, { log, bus }) {
    if (!config.swarmNatsUrl || !config.swarmNatsCa) {
      throw new Error(
        "Cannot start the swarm master: DECNET_SWARM_NATS_URL and DECNET_SWARM_NATS_CA must be set",
      );
    }
    const { openDatabase, createRepositories } = await import("../db/mod.ts");
    const { benignSources } = await import("../attackers/benign_sources.ts");
    const { readMasterCreds } = await import("./master_creds_file.ts");
    const { connectSwarmNats } = await import("./connect_swarm_nats.ts");
    const { ensureAgentEventStream } = await import("./ensure_agent_event_stream.ts");
    const { AgentEventConsumer } = await import("./agent_event_consumer.ts");
    const { applyAgentEvent } = await import("./apply_agent_event.ts");
    const { recordSwarmHeartbeats } = await import("./record_swarm_heartbeats.ts");
    const { serveActiveTokens } = await import("./serve_active_tokens.ts");
    // Written by `decnet swarm nats-config` and `decnet up`: this worker never sees the chain's seeds.
    const masterUserCreds = await readMasterCreds(config.home);
    if (masterUserCreds === null) {
      throw new Error(
        `Cannot start the swarm master: no ${
          swarmFiles(config.home).masterCreds
        }; run decnet swarm nats-config first`,
      );
    }
    const handle = await openDatabase(config.dbUrl);
    const repos = createRepositories(handle, {
      triggerRollup: {
        ratePerMinute: config.canaryTriggerRate,
        capPerMinute: config.canaryTriggerCap,
      },
    });
    let nc;
    try {
      nc = await connectSwarmNats({
        url: config.swarmNatsUrl,
        caFile: config.swarmNatsCa,
        creds: masterUserCreds,
        name: "decnet-master",
        reconnect: true,
      });
      await ensureAgentEventStream(nc);
    } catch (e) {
      await nc?.close();
      await handle.close();
      throw e;
    }
    const swarmLog = log.child("swarm");
    // Every host's deckies (shard rows included) are benign sources, as the operator's list.
    const isBenign = async () =>
      benignSources(
        (await repos.fleet.listDeckies()).flatMap((d) => d.ip ? [d.ip] : []),
        config.benignSources,
      );
    const consumer = new AgentEventConsumer(nc, repos.swarmEvents, {
      logger: swarmLog,
      apply: (host, event) => applyAgentEvent({ repos, bus, isBenign, log: swarmLog }, host, event),
    });
    const heartbeats = recordSwarmHeartbeats(nc, repos.swarmHosts, { logger: swarmLog });
    const tokens = serveActiveTokens(nc, () => repos.canaryJournals.activeTokens(), {
      logger: swarmLog,
    });
    return {
      extras: () => ({
        swarm_events_stored: consumer.stored,
        swarm_heartbeats: heartbeats.recorded,
      }),
      close: async () => {
        await tokens.close();
        await heartbeats.close();
        await consumer.close();
        await nc.close();
        await handle.close();
      },
    };
  },
});
