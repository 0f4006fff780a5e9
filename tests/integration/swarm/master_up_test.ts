import assert from "node:assert/strict";
import { createRepositories, openMigratedDatabase } from "../../../core/db/mod.ts";
import { startAgentHeartbeat } from "../../../core/swarm/mod.ts";
import { natsUnavailable } from "../../infra/nats.ts";
import { runDecnet } from "../../infra/run_decnet.ts";
import { spawnSwarmMaster } from "../../infra/swarm_up.ts";
import { startSwarmNats } from "../../infra/swarm_nats.ts";
import { opensslUnavailable } from "../../infra/test_certificates.ts";
import { waitUntil } from "../../infra/wait_until.ts";
import { enrollAndJoin } from "./_enrolled_agent.ts";

interface ListedWorker {
  name: string;
  healthy: boolean;
  state: string;
}

Deno.test({
  name:
    "decnet up with DECNET_MODE=master runs the swarm master with no Docker and records agents' heartbeats",
  ignore: natsUnavailable() !== undefined || opensslUnavailable() !== undefined,
  async fn(t) {
    await using nats = await startSwarmNats();
    const home = nats.home;
    const env = {
      DECNET_MODE: "master",
      DECNET_LOG_LEVEL: "warn",
      DECNET_API_PORT: "0",
      DECNET_CANARY_HTTP_PORT: "0",
      DECNET_CANARY_DNS_PORT: "0",
      // No Docker at all: the socket does not exist.
      DOCKER_HOST: `unix://${home}/absent/docker.sock`,
    };

    await t.step(
      "without the swarm's NATS settings it refuses to start (exit 2, naming them)",
      async () => {
        const run = await runDecnet(["up"], { home, env });
        assert.equal(run.code, 2, run.stderr);
        assert.match(
          run.stderr,
          /Cannot start as a swarm master \(DECNET_MODE=master\): DECNET_SWARM_NATS_URL and DECNET_SWARM_NATS_CA must be set/,
        );
        const half = await runDecnet(["up"], {
          home,
          env: { ...env, DECNET_SWARM_NATS_URL: nats.url },
        });
        assert.equal(half.code, 2, half.stderr);
        assert.match(half.stderr, /: DECNET_SWARM_NATS_CA must be set/);
      },
    );

    await t.step("without the trust chain (decnet swarm nats-config) it refuses too", async () => {
      const empty = await Deno.makeTempDir({ prefix: "master-up-" });
      try {
        const run = await runDecnet(["up"], {
          home: empty,
          env: { ...env, DECNET_SWARM_NATS_URL: nats.url, DECNET_SWARM_NATS_CA: nats.caFile },
        });
        assert.equal(run.code, 2, run.stderr);
        assert.match(run.stderr, /swarm\/authority\.json; run decnet swarm nats-config first/);
      } finally {
        await Deno.remove(empty, { recursive: true });
      }
    });

    // An enrolled agent that has joined: its own credentials, its own heartbeat subject.
    const handle = await openMigratedDatabase(`sqlite:${home}/decnet.db`);
    const joined = await enrollAndJoin(createRepositories(handle).swarmHosts, home, "alpha");
    await handle.close();
    await using proc = await spawnSwarmMaster(nats, { DOCKER_HOST: env.DOCKER_HOST });
    const admin = proc.admin;
    const workers = async () =>
      (await admin.get<{ items: ListedWorker[] }>("/api/v1/workers")).items;

    await t.step("every master worker runs and stays healthy without Docker", async () => {
      await waitUntil(async () => (await workers()).every((w) => w.healthy), {
        what: "every worker healthy",
        timeoutMs: 30_000,
      });
      assert.deepEqual((await workers()).map((w) => [w.name, w.state]), [
        ["alerts", "running"],
        ["api", "running"],
        ["canary", "running"],
        ["clusterer", "running"],
        ["collector", "running"],
        ["orchestrator", "running"],
        ["reconciler", "running"],
        ["swarm-master", "running"],
      ]);
    });

    await t.step("an agent's heartbeat shows on the Swarm hosts", async () => {
      const agent = await nats.connectAgent("alpha", joined.creds);
      try {
        using _beat = startAgentHeartbeat(agent, "alpha", { version: "9.9.9-agent" });
        await waitUntil(async () => {
          const { items } = await admin.get<{ items: { name: string; version: string | null }[] }>(
            "/api/v1/swarm/hosts",
          );
          return items.find((h) => h.name === "alpha")?.version === "9.9.9-agent";
        }, { what: "alpha's heartbeat recorded by the master", timeoutMs: 20_000 });
      } finally {
        await agent.close();
      }
    });

    await t.step("SIGTERM stops it", async () => {
      assert.equal((await proc.close()).code, 0);
    });
  },
});
