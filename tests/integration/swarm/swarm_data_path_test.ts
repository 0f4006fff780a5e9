import assert from "node:assert/strict";
import { jetstreamManager } from "@nats-io/jetstream";
import { headers } from "@nats-io/transport-node";
import { type BusMessage, MemoryBus } from "../../../core/bus/mod.ts";
import { createRepositories, migrateToLatest, openDatabase } from "../../../core/db/mod.ts";
import type { TriggerInput } from "../../../core/db/mod.ts";
import { openDocker } from "../../../core/docker/mod.ts";
import { fleetLabelKeys } from "../../../core/fleet/mod.ts";
import {
  canarySpoolPaths,
  encodeTriggerRecord,
  JournalWriter,
  readActiveTokens,
} from "../../../core/journal/mod.ts";
import { Logger } from "../../../core/log/mod.ts";
import { snifferSpoolPaths } from "../../../core/sniffer/sniffer_spool_paths.ts";
import { agentCollectorWorker } from "../../../core/swarm/agent_collector_worker.ts";
import { AGENT_EVENT_STREAM, MASTER_EVENT_CONSUMER, swarmFiles } from "../../../core/swarm/mod.ts";
import { swarmMasterWorker } from "../../../core/swarm/swarm_master_worker.ts";
import { dockerdUnavailable, startDockerd } from "../../infra/dockerd.ts";
import { natsUnavailable } from "../../infra/nats.ts";
import { startSwarmNats } from "../../infra/swarm_nats.ts";
import { opensslUnavailable } from "../../infra/test_certificates.ts";
import { buildTestImage } from "../../infra/test_image.ts";
import { waitUntil } from "../../infra/wait_until.ts";
import { makeTcpFingerprint } from "../../core/db/tcp_fingerprints_contract.ts";
import { enrollAndJoin } from "./_enrolled_agent.ts";

const quiet = new Logger({ level: "error", sink: () => {} });
const TOKEN = "7d3c2f0e-0000-4000-8000-0000000000a1";
const SLUG = "Ab3dEf6hIj9kLm2nOp5qRs";
const AGENT_HOST_UUID = "alpha-host";

function trigger(i: number): TriggerInput {
  return {
    tokenUuid: TOKEN,
    occurredAt: new Date(Date.UTC(2026, 11, 1, 10, 0, i % 60)),
    srcIp: "192.0.2.9",
    userAgent: "curl/8",
    method: "GET",
    requestPath: `/c/${i}`,
    dnsQname: null,
    dnsClientSubnet: null,
    headers: {},
  };
}

/** A stand-in sensor: `count` events for web-01, then more after each /tmp/go<N>. */
function sensorScript(phases: number, count: number): string {
  const event = (p: string) =>
    `{"v":1,"time":"2026-12-01T10:00:00.000Z","decky":"web-01","service":"ssh",` +
    `"kind":"command","src_ip":"192.0.2.9","src_port":40000,"dst_port":22,` +
    `"session":"${p}-$i","command":"id"}`;
  let script = "";
  for (let p = 0; p < phases; p++) {
    if (p > 0) script += `while [ ! -e /tmp/go${p} ]; do sleep 0.05; done; `;
    script += `i=0; while [ $i -lt ${count} ]; do echo '${
      event(`p${p}`).replace("$i", "'$i'")
    }'; i=$((i+1)); done; `;
  }
  return script + "exec sleep 2147483647";
}

async function appendTriggers(journalDir: string, from: number, count: number): Promise<void> {
  await using journal = await JournalWriter.open(journalDir, { maxBytes: 1024 ** 2 });
  for (let i = from; i < from + count; i++) await journal.append([encodeTriggerRecord(trigger(i))]);
}

Deno.test({
  name: "an agent's canary triggers and sensor events reach the master's database once each, " +
    "with the agent's host, across a nats-server crash and replays",
  ignore: natsUnavailable() !== undefined || opensslUnavailable() !== undefined ||
    dockerdUnavailable() !== undefined,
  async fn(t) {
    await using nats = await startSwarmNats();
    const dir = await Deno.makeTempDir({ prefix: "swarm-data-" });
    const dbUrl = `sqlite:${dir}/master.sqlite`;
    await using handle = await openDatabase(dbUrl);
    assert.equal((await migrateToLatest(handle)).error, undefined);
    const repos = createRepositories(handle);
    await repos.canary.insertToken({
      uuid: TOKEN,
      callback_token: SLUG,
      kind: "aws_passive",
      generator: "aws_creds",
      blob_uuid: null,
      content_class: null,
      decky_name: "web-01",
      decky_uuid: null,
      placement_path: null,
      persona: null,
      http_base: "http://127.0.0.1:8088",
      dns_zone: "",
      state: "planted",
      trigger_count: 0,
      last_triggered_at: null,
      last_error: null,
    });

    // The agent's home as `decnet agent join` leaves it.
    const alpha = await enrollAndJoin(repos.swarmHosts, nats.home, "alpha");
    const agentHome = `${dir}/agent`;
    await nats.writeAgentJoin(agentHome, "alpha", alpha.creds);
    const files = swarmFiles(agentHome);
    const spool = canarySpoolPaths(agentHome);
    await appendTriggers(spool.journalDir, 0, 50);
    {
      await using sniffed = await JournalWriter.open(snifferSpoolPaths(agentHome).journalDir, {
        maxBytes: 1024 ** 2,
      });
      await sniffed.append([JSON.stringify(makeTcpFingerprint())]);
    }

    await using daemon = await startDockerd();
    await using docker = openDocker({ dockerHost: daemon.dockerHost });
    const image = await buildTestImage(docker);
    const labels = fleetLabelKeys();
    const sensor = await docker.createContainer({
      name: "web-01-sensor",
      image,
      cmd: ["sh", "-c", sensorScript(2, 100)],
      labels: {
        [labels.managed]: "true",
        [labels.host]: AGENT_HOST_UUID,
        [labels.decky]: "web-01",
        [labels.role]: "sensor",
      },
      networkMode: "none",
    });
    await docker.startContainer(sensor);

    await using masterBus = new MemoryBus({ broadcast: false });
    const live: BusMessage[] = [];
    using _sub = masterBus.subscribe(">", (m) => void live.push(m));
    const master = await swarmMasterWorker.start({
      dbUrl,
      home: nats.home,
      swarmNatsUrl: nats.url,
      swarmNatsCa: nats.caFile,
      benignSources: [],
      canaryTriggerRate: 0,
      canaryTriggerCap: 0,
    }, { log: quiet, bus: masterBus, peers: [] });
    await using agentBus = new MemoryBus({ broadcast: false });
    const startAgent = () =>
      agentCollectorWorker.start({
        dockerHost: daemon.dockerHost,
        home: agentHome,
        hostUuid: AGENT_HOST_UUID,
        asnTable: null,
      }, { log: quiet, bus: agentBus, peers: [] });
    let agent = await startAgent();

    const triggers = async () =>
      (await repos.canary.listTriggers(TOKEN, { limit: 1000, offset: 0 })).items;
    const events = async () =>
      (await repos.attackers.listServiceEvents({ limit: 10_000, offset: 0 })).items;
    try {
      await t.step(
        "triggers, sensor events and the attacker arrive, attributed to alpha",
        async () => {
          await waitUntil(async () => (await triggers()).length === 50, { what: "50 triggers" });
          await waitUntil(async () => (await events()).length === 100, { what: "100 events" });
          assert.ok((await repos.canaryJournals.cursor("canary@alpha")).offset > 0);
          // The agent's worker table counts them as sent (once its cursor moved), none skipped.
          await waitUntil(() => agent.extras!().ingested === 50, { what: "50 sent" });
          assert.equal(agent.extras!().skipped, 0);
          const cursor = await repos.attackers.logCursor(`alpha/${sensor}`);
          assert.notEqual(cursor.logTime, "", "the sensor's log cursor is the agent's container");
          // The sniffer's fingerprint made its own attacker.
          await waitUntil(
            async () => (await repos.attackers.listAttackers({ limit: 10, offset: 0 })).total === 2,
            { what: "the fingerprinted attacker" },
          );
          const attackers = (await repos.attackers.listAttackers({ limit: 10, offset: 0 })).items;
          const byIp = new Map(attackers.map((a) => [a.ip, a]));
          assert.equal(byIp.get("192.0.2.9")?.eventCount, 100);
          const [touched] = await repos.attackers.attackerServices(byIp.get("192.0.2.9")!.id);
          assert.deepEqual([touched.decky, touched.host], ["web-01", "alpha"]);
          const ofAlpha = await repos.attackers.listAttackers({
            host: "alpha",
            limit: 10,
            offset: 0,
          });
          assert.deepEqual(ofAlpha.items.map((a) => a.ip), ["192.0.2.9"]);
          assert.equal(byIp.get("192.0.2.50")?.tcpFingerprint?.os_guess, "Linux 3.11+");
          assert.ok((await repos.canaryJournals.cursor("sniffer@alpha")).offset > 0);
          // The agent's canary listeners got the active tokens from the master.
          await waitUntil(
            async () => (await readActiveTokens(spool.tokensFile))?.[0]?.slug === SLUG,
            {
              what: "the active tokens snapshot on the agent",
            },
          );
          // The master published what it stored, as a local collector does.
          await waitUntil(
            () =>
              live.filter((m) => m.topic === `canary.${TOKEN}.triggered`).length === 50 &&
              live.filter((m) => m.topic.startsWith("service.")).length === 100,
            { what: "live messages on the master's bus" },
          );
        },
      );

      await t.step(
        "nats-server killed mid-stream: the agent keeps its journals, then nothing is lost or doubled",
        async () => {
          await nats.server.kill();
          await appendTriggers(spool.journalDir, 50, 50);
          await docker.exec(sensor, ["touch", "/tmp/go1"]);
          // The agent tried and failed to send while the server was down.
          await waitUntil(() => agent.extras?.().last_error != null, {
            what: "the agent's canary ingest failing",
            timeoutMs: 30_000,
          });
          assert.equal((await triggers()).length, 50);
          assert.equal((await readActiveTokens(spool.tokensFile))?.[0]?.slug, SLUG);
          await nats.server.restart();
          await waitUntil(async () => (await triggers()).length === 100, {
            what: "100 triggers",
            timeoutMs: 60_000,
          });
          await waitUntil(async () => (await events()).length === 200, {
            what: "200 events",
            timeoutMs: 60_000,
          });
          assert.equal(new Set((await triggers()).map((x) => x.request_path)).size, 100);
          assert.equal(new Set((await events()).map((e) => e.session)).size, 200);
        },
      );

      await t.step(
        "the agent lost its own cursors: it sends again from further back, nothing doubled or lost",
        async () => {
          await agent.close();
          await Deno.remove(files.agentCursors, { recursive: true });
          await appendTriggers(spool.journalDir, 100, 20);
          agent = await startAgent();
          await waitUntil(async () => (await triggers()).length === 120, {
            what: "120 triggers",
            timeoutMs: 60_000,
          });
          // Every sensor log line was sent again; the master stored none twice.
          await waitUntil(async () => {
            const cursor = await Deno.readTextFile(`${files.agentCursors}/${sensor}.json`)
              .catch(() => "");
            return cursor.includes('"pending":null') &&
              JSON.parse(cursor).cursor.logTime ===
                (await repos.attackers.logCursor(`alpha/${sensor}`)).logTime;
          }, { what: "the sensor's log sent again", timeoutMs: 60_000 });
          assert.equal(new Set((await triggers()).map((x) => x.request_path)).size, 120);
          assert.equal((await events()).length, 200);
        },
      );

      await t.step("every event of the stream delivered twice more adds nothing", async () => {
        const nc = await nats.connectMaster();
        try {
          const jsm = await jetstreamManager(nc);
          const { state } = await jsm.streams.info(AGENT_EVENT_STREAM);
          let replayed = 0;
          for (const round of ["a", "b"]) {
            for (let seq = state.first_seq; seq <= state.last_seq; seq++) {
              const stored = await jsm.streams.getMessage(AGENT_EVENT_STREAM, { seq });
              if (!stored) continue;
              const h = headers();
              h.set("Nats-Msg-Id", `replay-${round}-${seq}`);
              await nc.request(stored.subject, stored.data, { headers: h, timeout: 5000 });
              replayed++;
            }
          }
          assert.ok(replayed >= 4, `replayed ${replayed} events`);
          await waitUntil(async () => {
            const info = await jsm.consumers.info(AGENT_EVENT_STREAM, MASTER_EVENT_CONSUMER);
            return info.num_pending === 0 && info.num_ack_pending === 0;
          }, { what: "the replays consumed", timeoutMs: 30_000 });
        } finally {
          await nc.close();
        }
        assert.equal((await triggers()).length, 120);
        assert.equal((await events()).length, 200);
        assert.equal((await repos.canary.getToken(TOKEN))?.trigger_count, 120);
        const attackers = (await repos.attackers.listAttackers({ limit: 10, offset: 0 })).items;
        assert.equal(attackers.find((a) => a.ip === "192.0.2.9")?.eventCount, 200);
        assert.equal(attackers.length, 2);
      });
    } finally {
      await agent.close();
      await master.close();
      await docker.removeContainer(sensor, { force: true }).catch(() => {});
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
