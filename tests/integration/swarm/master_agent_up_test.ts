import assert from "node:assert/strict";
import { createRepositories, openMigratedDatabase } from "../../../core/db/mod.ts";
import { natsUnavailable } from "../../infra/nats.ts";
import { startSwarmNats } from "../../infra/swarm_nats.ts";
import { spawnSwarmAgent, spawnSwarmMaster } from "../../infra/swarm_up.ts";
import { opensslUnavailable } from "../../infra/test_certificates.ts";
import { waitUntil } from "../../infra/wait_until.ts";
import { insertToken } from "../_canary_up.ts";
import { enrollAndJoin } from "./_enrolled_agent.ts";

const SLUG = "swarmupslug0123456789abcd";

Deno.test({
  name:
    "decnet up as master and as agent: the agent beats and a trigger on its canary listener reaches the master",
  ignore: natsUnavailable() !== undefined || opensslUnavailable() !== undefined,
  async fn(t) {
    await using nats = await startSwarmNats();
    const handle = await openMigratedDatabase(`sqlite:${nats.home}/decnet.db`);
    const joined = await enrollAndJoin(createRepositories(handle).swarmHosts, nats.home, "alpha");
    const tokenUuid = await insertToken(handle, SLUG);
    const agentHome = await Deno.makeTempDir({ prefix: "agent-home-" });
    await nats.writeAgentJoin(agentHome, "alpha", joined.creds);
    try {
      // Neither host has Docker: the master never needs it, the agent deploys nothing here.
      await using master = await spawnSwarmMaster(nats);
      const admin = master.admin;
      await using agent = spawnSwarmAgent(agentHome);
      const [, canaryPort] = await agent.waitForLine(/Canary HTTP listening on 127\.0\.0\.1:(\d+)/);

      await t.step("the master's Swarm hosts show the agent's heartbeat", async () => {
        await waitUntil(async () => {
          const { items } = await admin.get<
            { items: { name: string; last_heartbeat: string | null }[] }
          >("/api/v1/swarm/hosts");
          return items.find((h) => h.name === "alpha")?.last_heartbeat != null;
        }, { what: "alpha's heartbeat on the master", timeoutMs: 30_000 });
      });

      await t.step("a hit on the agent's canary listener is a trigger on the master", async () => {
        // The agent learns the master's active tokens (about every second) before it knows the slug.
        await waitUntil(async () => {
          const res = await fetch(`http://127.0.0.1:${canaryPort}/c/${SLUG}/info/refs`, {
            headers: { "user-agent": "git/2.39.5" },
          });
          await res.body?.cancel();
          const token = await admin.get<{ trigger_count: number }>(
            `/api/v1/canary/tokens/${tokenUuid}`,
          );
          return token.trigger_count > 0;
        }, { what: "the agent's trigger stored by the master", timeoutMs: 30_000 });
      });

      await t.step("both stop on SIGTERM", async () => {
        assert.equal((await agent.close()).code, 0);
        assert.equal((await master.close()).code, 0);
      });
    } finally {
      await handle.close();
      await Deno.remove(agentHome, { recursive: true });
    }
  },
});
