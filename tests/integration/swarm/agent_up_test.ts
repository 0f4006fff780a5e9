import assert from "node:assert/strict";
import { createRepositories, openMigratedDatabase } from "../../../core/db/mod.ts";
import { openDocker } from "../../../core/docker/mod.ts";
import { StateFile } from "../../../core/fleet/mod.ts";
import { recordSwarmHeartbeats, requestAgentCommand, swarmFiles } from "../../../core/swarm/mod.ts";
import { dockerdUnavailable, startDockerd } from "../../infra/dockerd.ts";
import { natsUnavailable } from "../../infra/nats.ts";
import { runDecnet } from "../../infra/run_decnet.ts";
import { spawnDecnet } from "../../infra/spawn_decnet.ts";
import { startSwarmNats } from "../../infra/swarm_nats.ts";
import { SWARM_UP_ENV } from "../../infra/swarm_up.ts";
import { opensslUnavailable } from "../../infra/test_certificates.ts";
import { buildTestImage, TEST_IMAGE } from "../../infra/test_image.ts";
import { waitUntil } from "../../infra/wait_until.ts";
import { enrollAndJoin } from "./_enrolled_agent.ts";

const FLEET = `
[defaults]
image = ${TEST_IMAGE}
base_image = ${TEST_IMAGE}

[decky web-a]
host = alpha
services = ssh
command.ssh = nc -ll -p 22 -e sh -c 'echo SSH-2.0-OpenSSH_9.2p1'

[decky web-m]
services = ssh
`;

/** Settings of the control plane an agent must neither use nor hand on (the database is unreachable). */
const CONTROL_PLANE_ENV = {
  DECNET_DB_URL: "mysql://decnet:db-password-never-used@192.0.2.5:3306/decnet",
  DECNET_JWT_SECRET: "j".repeat(40),
  DECNET_ADMIN_PASSWORD: "admin-password-never-used",
};

Deno.test({
  name:
    "decnet up with DECNET_MODE=agent beats, deploys on its Docker and keeps no control plane secret",
  ignore: natsUnavailable() !== undefined || opensslUnavailable() !== undefined ||
    dockerdUnavailable() !== undefined,
  async fn(t) {
    await using nats = await startSwarmNats();
    await using dockerd = await startDockerd();
    await using docker = openDocker({ dockerHost: dockerd.dockerHost });
    await buildTestImage(docker);
    const handle = await openMigratedDatabase(`sqlite:${nats.home}/decnet.db`);
    const repos = createRepositories(handle);
    const joined = await enrollAndJoin(repos.swarmHosts, nats.home, "alpha");
    const home = await Deno.makeTempDir({ prefix: "agent-up-" });
    const env = {
      ...SWARM_UP_ENV,
      DECNET_HOME: home,
      DECNET_MODE: "agent",
      DECNET_RECONCILE_INTERVAL: "1",
      DOCKER_HOST: dockerd.dockerHost,
      ...CONTROL_PLANE_ENV,
    };
    const master = await nats.connectMaster();
    await using recorder = recordSwarmHeartbeats(master, repos.swarmHosts);
    try {
      await t.step("before decnet agent join it refuses to start, naming the file", async () => {
        const run = await runDecnet(["up"], { home, env });
        assert.equal(run.code, 2);
        assert.match(
          run.stderr,
          new RegExp(
            `Cannot start as a swarm agent \\(DECNET_MODE=agent\\): this host has not joined a swarm \\(no ${
              swarmFiles(home).agentInfo
            }\\): run decnet agent join first`,
          ),
        );
      });

      // What `decnet agent join` stores (its own test covers the join itself).
      await nats.writeAgentJoin(home, "alpha", joined.creds);

      await t.step(
        "decnet workers list shows the agent's workers, none with a database",
        async () => {
          const run = await runDecnet(["workers", "list", "--json"], { home, env });
          assert.equal(run.code, 0, run.stderr);
          const listed = JSON.parse(run.stdout) as {
            mode: string;
            items: { name: string; database: boolean }[];
          };
          assert.equal(listed.mode, "agent");
          assert.deepEqual(listed.items.map((w) => [w.name, w.database]), [
            ["canary", false],
            ["agent-collector", false],
            ["agent-reconciler", false],
            ["agent", false],
          ]);
        },
      );

      await using proc = spawnDecnet(["up"], { cwd: home, env });
      await proc.waitForLine(/Swarm agent alpha serving the master's commands over tls:/);

      await t.step("its heartbeat reaches the master's swarm_hosts", async () => {
        await waitUntil(async () => (await repos.swarmHosts.get("alpha"))?.last_heartbeat != null, {
          what: "alpha's heartbeat recorded",
          timeoutMs: 20_000,
        });
        assert.ok(recorder.recorded > 0);
      });

      await t.step("it deploys its own decky of a fleet file on its Docker", async () => {
        const result = await requestAgentCommand(master, "alpha", "deploy", { fleet: FLEET }, {
          timeoutMs: 55_000,
        }) as { results: { name: string; status: string }[] };
        assert.deepEqual(result.results.map((r) => r.name), ["web-a"]);
        const base = await docker.inspectContainer("web-a");
        assert.equal(base?.running, true);
        const state = await new StateFile(home, "local").read();
        assert.deepEqual(state.map((d) => [d.name, d.state]), [["web-a", "running"]]);
      });

      await t.step(
        "its reconciler records a stopped decky in the state file, with no database",
        async () => {
          await docker.stopContainer("web-a", { graceSeconds: 1 });
          await waitUntil(
            async () => (await new StateFile(home, "local").read())[0]?.state !== "running",
            { what: "web-a no longer running in the state file", timeoutMs: 20_000 },
          );
        },
      );

      await t.step("it created no JWT secret nor database, and holds none", async () => {
        const names: string[] = [];
        for await (const entry of Deno.readDir(home)) names.push(entry.name);
        assert.ok(!names.includes("jwt_secret"), names.join(","));
        assert.ok(!names.some((n) => n.startsWith("decnet.db")), names.join(","));
      });

      await t.step("it tears its deckies down on command and stops on SIGTERM", async () => {
        await requestAgentCommand(master, "alpha", "teardown", { all: true }, {
          timeoutMs: 55_000,
        });
        assert.equal(await docker.inspectContainer("web-a"), undefined);
        assert.equal((await proc.close()).code, 0);
      });
    } finally {
      await master.close();
      await handle.close();
      await Deno.remove(home, { recursive: true });
    }
  },
});
