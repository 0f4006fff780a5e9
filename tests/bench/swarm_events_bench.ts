/**
 * Swarm events benchmark: agents -> JetStream -> the master's durable
 * consumer -> the database, end to end over TLS on loopback. Two agents
 * publish concurrently (64 acknowledged publishes in flight each); the
 * figure is events stored per second until the last one is in the database.
 *
 *   deno run -A tests/bench/swarm_events_bench.ts
 */
import type { NatsConnection } from "@nats-io/transport-node";
import { createRepositories, openMigratedDatabase } from "../../core/db/mod.ts";
import { Logger, printLine } from "../../core/log/mod.ts";
import {
  AgentEventConsumer,
  agentSubjects,
  connectSwarmNats,
  ensureAgentEventStream,
  publishAgentEvent,
} from "../../core/swarm/mod.ts";
import { natsUnavailable } from "../infra/nats.ts";
import { startSwarmNats } from "../infra/swarm_nats.ts";
import { waitUntil } from "../infra/wait_until.ts";
import { enrollAndJoin } from "../integration/swarm/_enrolled_agent.ts";

const PER_AGENT = 5_000;
const IN_FLIGHT = 64;
const quiet = new Logger({ level: "error", sink: () => {} });

async function publishMany(nc: NatsConnection, host: string): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < PER_AGENT) {
      const n = next++;
      await publishAgentEvent(nc, host, {
        id: `${host}-${n}`,
        kind: "service_event",
        at: new Date().toISOString(),
        fields: { n, src_ip: "192.0.2.7", service: "ssh", kind: "auth_attempt", username: "root" },
      }, { timeoutMs: 30_000 });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
}

if (natsUnavailable()) {
  printLine(`skipped: ${natsUnavailable()}`);
} else {
  await using nats = await startSwarmNats();
  const dir = await Deno.makeTempDir();
  await using handle = await openMigratedDatabase(`sqlite:${dir}/bench.db`);
  const { swarmHosts, swarmEvents } = createRepositories(handle);
  const connect = (creds: string, inboxPrefix?: string) =>
    connectSwarmNats({ url: nats.url, caFile: nats.caFile, creds, inboxPrefix, reconnect: true });
  const master = await connect(nats.jwts.masterUserCreds);
  await ensureAgentEventStream(master);
  const agents: [string, NatsConnection][] = [];
  for (const name of ["alpha", "bravo"]) {
    const { creds } = await enrollAndJoin(swarmHosts, nats.home, name);
    agents.push([name, await connect(creds, agentSubjects(name).inboxPrefix)]);
  }
  await using _consumer = new AgentEventConsumer(master, swarmEvents, { logger: quiet });
  const total = PER_AGENT * agents.length;
  const start = performance.now();
  await Promise.all(agents.map(([name, nc]) => publishMany(nc, name)));
  const published = performance.now();
  await waitUntil(async () => (await swarmEvents.count()) === total, {
    what: "every event stored",
    timeoutMs: 600_000,
    intervalMs: 20,
  });
  const stored = performance.now();
  const rate = (ms: number) => Math.round(total / (ms / 1000)).toLocaleString("en");
  printLine(
    `swarm events, 2 agents x ${PER_AGENT} over TLS -> JetStream (file) -> SQLite file`,
  );
  printLine(`  acknowledged by JetStream   ${rate(published - start).padStart(8)} events/s`);
  printLine(
    `  stored by the master        ${rate(stored - start).padStart(8)} events/s end to end`,
  );
  printLine(`  load average                ${Deno.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  for (const [, nc] of agents) await nc.close();
  await master.close();
  await Deno.remove(dir, { recursive: true });
}
