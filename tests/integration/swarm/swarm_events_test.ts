import assert from "node:assert/strict";
import type { NatsConnection } from "@nats-io/transport-node";
import { createRepositories, migrateToLatest, openDatabase } from "../../../core/db/mod.ts";
import { Logger } from "../../../core/log/mod.ts";
import {
  AgentEventConsumer,
  ensureAgentEventStream,
  publishAgentEvent,
  recordSwarmHeartbeats,
  startAgentHeartbeat,
} from "../../../core/swarm/mod.ts";
import type { AgentEvent } from "../../../core/swarm/mod.ts";
import { natsUnavailable } from "../../infra/nats.ts";
import { startSwarmNats } from "../../infra/swarm_nats.ts";
import { opensslUnavailable } from "../../infra/test_certificates.ts";
import { waitUntil } from "../../infra/wait_until.ts";
import { enrollAndJoin } from "./_enrolled_agent.ts";

const quiet = new Logger({ level: "error", sink: () => {} });

function events(host: string, from: number, count: number): AgentEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${host}-${from + i}`,
    kind: "test",
    at: new Date(Date.UTC(2026, 11, 1, 10, 0, 0, from + i)).toISOString(),
    fields: { n: from + i },
  }));
}

/** Publishes each event until JetStream acknowledges it (it may be reconnecting). */
async function publishAll(nc: NatsConnection, host: string, list: AgentEvent[]): Promise<number> {
  let duplicates = 0;
  for (const event of list) {
    await waitUntil(async () => {
      const ack = await publishAgentEvent(nc, host, event, { timeoutMs: 2000 });
      if (ack.duplicate) duplicates++;
      return true;
    }, { what: `ack of ${event.id}`, timeoutMs: 30_000, intervalMs: 200 });
  }
  return duplicates;
}

function reconnects(nc: NatsConnection): { count: number } {
  const seen = { count: 0 };
  (async () => {
    for await (const s of nc.status()) if (s.type === "reconnect") seen.count++;
  })().catch(() => {});
  return seen;
}

Deno.test({
  name: "agent events reach the master's database once each through JetStream, across a " +
    "nats-server crash and a master outage; heartbeats stamp swarm_hosts",
  ignore: natsUnavailable() !== undefined || opensslUnavailable() !== undefined,
  async fn(t) {
    await using nats = await startSwarmNats();
    await using handle = await openDatabase("sqlite::memory:");
    assert.equal((await migrateToLatest(handle)).error, undefined);
    const { swarmHosts, swarmEvents } = createRepositories(handle);
    const alpha = await enrollAndJoin(swarmHosts, nats.home, "alpha");
    const bravo = await enrollAndJoin(swarmHosts, nats.home, "bravo");
    let master = await nats.connectMaster({ reconnect: true });
    const agentA = await nats.connectAgent("alpha", alpha.creds, { reconnect: true });
    const agentB = await nats.connectAgent("bravo", bravo.creds, { reconnect: true });
    await ensureAgentEventStream(master);
    // Twice: the second run finds the stream and consumer and changes nothing.
    await ensureAgentEventStream(master);
    let consumer = new AgentEventConsumer(master, swarmEvents, { logger: quiet });
    const recorder = recordSwarmHeartbeats(master, swarmHosts, { logger: quiet });
    try {
      await t.step("heartbeats stamp last_heartbeat and the version", async () => {
        await master.flush();
        using _beat = startAgentHeartbeat(agentA, "alpha", {
          version: "9.9.9",
          intervalMs: 60_000,
        });
        await waitUntil(async () => (await swarmHosts.get("alpha"))?.last_heartbeat !== null, {
          what: "alpha's heartbeat",
        });
        assert.equal((await swarmHosts.get("alpha"))?.version, "9.9.9");
        assert.equal((await swarmHosts.get("bravo"))?.last_heartbeat, null);
      });

      await t.step("events are stored once each, a retried publish adds nothing", async () => {
        assert.equal(await publishAll(agentA, "alpha", events("alpha", 0, 100)), 0);
        assert.equal(await publishAll(agentB, "bravo", events("bravo", 0, 50)), 0);
        assert.equal(await publishAll(agentA, "alpha", events("alpha", 90, 10)), 10);
        await waitUntil(async () => (await swarmEvents.count()) === 150, { what: "150 events" });
        assert.equal(await swarmEvents.count("alpha"), 100);
        const [first] = await swarmEvents.listByHost("bravo", 1);
        assert.deepEqual(JSON.parse(first.payload), { n: 0 });
      });

      await t.step("an agent may not publish events as another agent", async () => {
        await assert.rejects(
          publishAgentEvent(agentA, "bravo", events("forged", 0, 1)[0], { timeoutMs: 1000 }),
        );
      });

      await t.step("nats-server killed and restarted: nothing lost, nothing doubled", async () => {
        const seenA = reconnects(agentA);
        const seenMaster = reconnects(master);
        await nats.server.kill();
        await nats.server.restart();
        await waitUntil(() => seenA.count > 0 && seenMaster.count > 0, {
          what: "clients reconnected",
          timeoutMs: 30_000,
        });
        assert.equal(await publishAll(agentA, "alpha", events("alpha", 100, 100)), 0);
        await waitUntil(async () => (await swarmEvents.count()) === 250, {
          what: "250 events",
          timeoutMs: 30_000,
        });
      });

      await t.step("events published while the master is away arrive when it is back", async () => {
        await consumer.close();
        await recorder.close();
        await master.close();
        await publishAll(agentB, "bravo", events("bravo", 50, 50));
        assert.equal(await swarmEvents.count(), 250);
        master = await nats.connectMaster({ reconnect: true });
        consumer = new AgentEventConsumer(master, swarmEvents, { logger: quiet });
        // nats-server may hand events to the closed connection's last pull request before it
        // notices the close; those come back after the stream's 30 s ack wait, not lost.
        await waitUntil(async () => (await swarmEvents.count()) === 300, {
          what: "300 events",
          timeoutMs: 45_000,
        });
        assert.equal(await swarmEvents.count("bravo"), 100);
      });
    } finally {
      await consumer.close();
      await recorder.close();
      for (const nc of [agentA, agentB, master]) await nc.close().catch(() => {});
    }
  },
});
