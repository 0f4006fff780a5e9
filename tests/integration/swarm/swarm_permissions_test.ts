import assert from "node:assert/strict";
import type { Msg, NatsConnection } from "@nats-io/transport-node";
import { createRepositories, migrateToLatest, openDatabase } from "../../../core/db/mod.ts";
import {
  agentSubjects,
  connectSwarmNats,
  pushAccountJwt,
  revokeSwarmHost,
} from "../../../core/swarm/mod.ts";
import { natsUnavailable } from "../../infra/nats.ts";
import { startSwarmNats } from "../../infra/swarm_nats.ts";
import { opensslUnavailable } from "../../infra/test_certificates.ts";
import { waitUntil } from "../../infra/wait_until.ts";
import { enrollAndJoin } from "./_enrolled_agent.ts";

/** A connection and every async error the server reported on it. */
interface Watched {
  nc: NatsConnection;
  errors: string[];
}

async function connectWatched(connecting: Promise<NatsConnection>): Promise<Watched> {
  const nc = await connecting;
  const errors: string[] = [];
  (async () => {
    for await (const s of nc.status()) {
      if (s.type === "error") errors.push(s.error.message);
    }
  })().catch(() => {});
  return { nc, errors };
}

function collect(nc: NatsConnection, subject: string): Msg[] {
  const got: Msg[] = [];
  nc.subscribe(subject, {
    callback: (err, msg) => {
      if (!err) got.push(msg);
    },
  });
  return got;
}

Deno.test({
  name: "swarm agents are held to their own subjects over TLS, and a revoked agent is cut off " +
    "without restarting nats-server",
  ignore: natsUnavailable() !== undefined || opensslUnavailable() !== undefined,
  async fn(t) {
    await using nats = await startSwarmNats();
    await using handle = await openDatabase("sqlite::memory:");
    assert.equal((await migrateToLatest(handle)).error, undefined);
    const { swarmHosts } = createRepositories(handle);
    const a = await enrollAndJoin(swarmHosts, nats.home, "alpha");
    const b = await enrollAndJoin(swarmHosts, nats.home, "bravo");
    const master = await connectWatched(nats.connectMaster());
    const agentA = await connectWatched(nats.connectAgent("alpha", a.creds));
    const agentB = await connectWatched(nats.connectAgent("bravo", b.creds));
    try {
      await t.step(
        "each agent publishes under its own subjects and the master hears it",
        async () => {
          const heard = collect(master.nc, "decnet.agent.>");
          await master.nc.flush();
          agentA.nc.publish(agentSubjects("alpha").heartbeat, "a");
          agentB.nc.publish(agentSubjects("bravo").heartbeat, "b");
          await waitUntil(() => heard.length === 2, { what: "both heartbeats" });
          assert.deepEqual(heard.map((m) => m.subject).sort(), [
            "decnet.agent.alpha.heartbeat",
            "decnet.agent.bravo.heartbeat",
          ]);
        },
      );

      await t.step("an agent answers the master's request on its own command subject", async () => {
        agentA.nc.subscribe("decnet.cmd.alpha.>", {
          callback: (_err, msg) => {
            msg.respond(`pong ${msg.subject}`);
          },
        });
        await agentA.nc.flush();
        const reply = await master.nc.request("decnet.cmd.alpha.ping", "", { timeout: 5000 });
        assert.equal(reply.string(), "pong decnet.cmd.alpha.ping");
      });

      await t.step("agent A cannot subscribe to B's commands", async () => {
        const sub = agentA.nc.subscribe("decnet.cmd.bravo.>");
        const closedWith = await sub.closed;
        assert.match(
          String(closedWith),
          /Permissions Violation for Subscription to "decnet\.cmd\.bravo\.>"/,
        );
        // A's other subscriptions survive: the connection stays usable.
        const reply = await master.nc.request("decnet.cmd.alpha.ping", "", { timeout: 5000 });
        assert.equal(reply.string(), "pong decnet.cmd.alpha.ping");
      });

      await t.step("agent A cannot publish as the master or as B", async () => {
        const atB = collect(agentB.nc, "decnet.cmd.bravo.>");
        const asB = collect(master.nc, "decnet.agent.bravo.>");
        await agentB.nc.flush();
        await master.nc.flush();
        agentA.nc.publish("decnet.cmd.bravo.deploy", "forged command");
        agentA.nc.publish("decnet.agent.bravo.events", "forged event");
        agentA.nc.publish("decnet.audit", "outside every agent subject");
        await waitUntil(() => agentA.errors.length >= 3, { what: "three publish violations" });
        for (
          const subject of ["decnet.cmd.bravo.deploy", "decnet.agent.bravo.events", "decnet.audit"]
        ) {
          assert.ok(
            agentA.errors.some((e) => e === `Permissions Violation for Publish to "${subject}"`),
            `violation for ${subject} in ${JSON.stringify(agentA.errors)}`,
          );
        }
        // B's own message, sent after the server refused A's, is the only one anybody got.
        agentB.nc.publish("decnet.agent.bravo.marker", "b");
        await waitUntil(() => asB.length === 1, { what: "B's marker" });
        assert.deepEqual(asB.map((m) => m.string()), ["b"]);
        assert.deepEqual(atB, []);
      });

      await t.step("revoking A closes its connection at once and refuses it after", async () => {
        const result = await revokeSwarmHost(swarmHosts, nats.authority, "alpha", {
          push: (jwt, jwts) =>
            pushAccountJwt(jwt, {
              url: nats.url,
              caFile: nats.caFile,
              systemUserCreds: jwts.systemUserCreds,
            }),
        });
        assert.equal(result.pushError, undefined);
        assert.equal(result.newlyRevoked, true);
        await waitUntil(
          () => agentA.errors.includes("User Authentication Revoked") || agentA.nc.isClosed(),
          { what: "A's connection revoked", timeoutMs: 10_000 },
        );
        await assert.rejects(
          connectSwarmNats({ url: nats.url, caFile: nats.caFile, creds: a.creds }),
          /Authorization Violation/,
        );
        // B is untouched and nats-server never restarted.
        const heard = collect(master.nc, "decnet.agent.bravo.>");
        await master.nc.flush();
        agentB.nc.publish("decnet.agent.bravo.after", "still here");
        await waitUntil(() => heard.length === 1, { what: "B after A's revocation" });
        assert.deepEqual(
          { ...(await swarmHosts.revocations()) },
          {
            [a.publicKey]: Math.ceil(
              Date.parse((await swarmHosts.get("alpha"))!.revoked_at!) / 1000,
            ),
          },
        );
      });

      await t.step(
        "the revocation outlives a nats-server restart with the config rendered before it",
        async () => {
          // The config file still preloads the account JWT without the revocation; the
          // resolver's stored newer JWT must win.
          await nats.server.restart();
          await assert.rejects(
            connectSwarmNats({ url: nats.url, caFile: nats.caFile, creds: a.creds }),
            /Authorization Violation/,
          );
          const stillB = await connectSwarmNats({
            url: nats.url,
            caFile: nats.caFile,
            creds: b.creds,
          });
          await stillB.close();
        },
      );
    } finally {
      for (const w of [agentA, agentB, master]) await w.nc.close().catch(() => {});
    }
  },
});
