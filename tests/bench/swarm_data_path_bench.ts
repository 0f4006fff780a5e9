/**
 * Swarm data path benchmark: an agent's canary trigger journal, already
 * holding TRIGGERS triggers (as after a partition), through the agent
 * collector (one JetStream event per 500-trigger batch, over TLS) and the
 * swarm master worker into the master's SQLite file; the figure is triggers
 * stored per second until the last one is in the database (the catch-up).
 *
 *   deno run -A tests/bench/swarm_data_path_bench.ts
 */
import { MemoryBus } from "../../core/bus/mod.ts";
import { createRepositories, openMigratedDatabase } from "../../core/db/mod.ts";
import { canarySpoolPaths, encodeTriggerRecord, JournalWriter } from "../../core/journal/mod.ts";
import { Logger, printLine } from "../../core/log/mod.ts";
import { agentCollectorWorker } from "../../core/swarm/agent_collector_worker.ts";
import { swarmFiles } from "../../core/swarm/mod.ts";
import { swarmMasterWorker } from "../../core/swarm/swarm_master_worker.ts";
import { natsUnavailable } from "../infra/nats.ts";
import { startSwarmNats } from "../infra/swarm_nats.ts";
import { waitUntil } from "../infra/wait_until.ts";
import { enrollAndJoin } from "../integration/swarm/_enrolled_agent.ts";

const TRIGGERS = 20_000;
const TOKEN = "7d3c2f0e-0000-4000-8000-0000000000b1";
const quiet = new Logger({ level: "error", sink: () => {} });

if (natsUnavailable()) {
  printLine(`skipped: ${natsUnavailable()}`);
} else {
  await using nats = await startSwarmNats();
  const dir = await Deno.makeTempDir();
  const dbUrl = `sqlite:${dir}/master.db`;
  await using handle = await openMigratedDatabase(dbUrl);
  const repos = createRepositories(handle);
  await repos.canary.insertToken({
    uuid: TOKEN,
    callback_token: "Bench0Token0Slug000001",
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
  const { creds } = await enrollAndJoin(repos.swarmHosts, nats.home, "alpha");
  const home = `${dir}/agent`;
  const files = swarmFiles(home);
  await Deno.mkdir(files.dir, { recursive: true });
  await Deno.writeTextFile(files.agentInfo, JSON.stringify({ name: "alpha", nats_url: nats.url }));
  await Deno.writeTextFile(files.agentCreds, creds);
  await Deno.copyFile(nats.caFile, files.agentCa);
  {
    await using journal = await JournalWriter.open(canarySpoolPaths(home).journalDir, {
      maxBytes: 8 * 1024 ** 2,
    });
    for (let i = 0; i < TRIGGERS; i += 500) {
      await journal.append(Array.from({ length: 500 }, (_, j) =>
        encodeTriggerRecord({
          tokenUuid: TOKEN,
          occurredAt: new Date(Date.UTC(2026, 11, 1, 10, 0, 0, i + j)),
          srcIp: "192.0.2.9",
          userAgent: "curl/8",
          method: "GET",
          requestPath: `/c/${i + j}`,
          dnsQname: null,
          dnsClientSubnet: null,
          headers: {},
        })));
    }
  }
  await using bus = new MemoryBus({ broadcast: false });
  const master = await swarmMasterWorker.start({
    dbUrl,
    home: nats.home,
    swarmNatsUrl: nats.url,
    swarmNatsCa: nats.caFile,
    benignSources: [],
    // Rollups off: every trigger is a row of its own, the heaviest case.
    canaryTriggerRate: 0,
    canaryTriggerCap: 0,
  }, { log: quiet, bus, peers: [] });
  const start = performance.now();
  const agent = await agentCollectorWorker.start({
    dockerHost: "unix:///nonexistent/docker.sock",
    home,
    hostUuid: "alpha-host",
    benignSources: [],
    asnTable: null,
  }, { log: quiet, bus, peers: [] });
  await waitUntil(
    async () => (await repos.canary.getToken(TOKEN))?.trigger_count === TRIGGERS,
    { what: "every trigger stored", timeoutMs: 600_000, intervalMs: 50 },
  );
  const seconds = (performance.now() - start) / 1000;
  printLine(`swarm data path: ${TRIGGERS} journaled triggers, agent -> JetStream (TLS) -> SQLite`);
  printLine(
    `  caught up in ${seconds.toFixed(1)} s  ${
      Math.round(TRIGGERS / seconds).toLocaleString("en").padStart(8)
    } triggers/s end to end`,
  );
  printLine(`  load average  ${Deno.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  await agent.close();
  await master.close();
  await Deno.remove(dir, { recursive: true });
}
