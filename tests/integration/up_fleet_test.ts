import assert from "node:assert/strict";
import { createRepositories, openDatabase } from "../../core/db/mod.ts";
import { openDocker } from "../../core/docker/mod.ts";
import { dockerdUnavailable, startDockerd } from "../infra/dockerd.ts";
import { runDecnet } from "../infra/run_decnet.ts";
import { spawnDecnet } from "../infra/spawn_decnet.ts";
import { buildTestImage, TEST_IMAGE } from "../infra/test_image.ts";
import { buildDebianImage, debianImageUnavailable } from "../infra/debian_image.ts";
import { waitUntil } from "../infra/wait_until.ts";

const SUBNET_PREFIX = "10.231.48";
const skip = dockerdUnavailable() ?? debianImageUnavailable();

Deno.test({
  name:
    `decnet up drives a deployed fleet from its workers: reconciler, orchestrator traffic, canary${
      skip ? ` (skipped: ${skip})` : ""
    }`,
  ignore: skip !== undefined,
  async fn() {
    await using daemon = await startDockerd();
    let debian: string;
    {
      await using docker = openDocker({ dockerHost: daemon.dockerHost });
      await buildTestImage(docker);
      debian = await buildDebianImage(docker);
    }
    const home = await Deno.makeTempDir({ prefix: "up-fleet-" });
    try {
      // The example personas, at work around the clock so a session can happen now.
      const personas = JSON.parse(
        await Deno.readTextFile(new URL("../../deploy/personas.example.json", import.meta.url)),
      ).map((p: Record<string, unknown>) => ({ ...p, active_hours: "00:00-23:59" }));
      await Deno.writeTextFile(`${home}/personas.json`, JSON.stringify(personas));
      await Deno.writeTextFile(
        `${home}/fleet.ini`,
        `[network]
driver = bridge
name = lan
subnet = ${SUBNET_PREFIX}.0/24
gateway = ${SUBNET_PREFIX}.1

[defaults]
image = ${debian}
base_image = ${TEST_IMAGE}

[decky ws-01]
services = ssh
command.ssh = /sbin/init
ip = ${SUBNET_PREFIX}.10

[decky ws-02]
services = ssh
command.ssh = /sbin/init
ip = ${SUBNET_PREFIX}.11
`,
      );
      const env = {
        DOCKER_HOST: daemon.dockerHost,
        DECNET_REALISM_PERSONAS: `${home}/personas.json`,
        DECNET_ORCHESTRATOR_INTERVAL: "1",
        DECNET_RECONCILE_INTERVAL: "1",
        DECNET_API_PORT: "0",
        DECNET_CANARY_HTTP_PORT: "0",
        DECNET_CANARY_ALLOW_LOCAL: "true",
        DECNET_CANARY_DNS_PORT: "0",
        DECNET_LOG_LEVEL: "warn",
      };
      const deploy = await runDecnet(["deploy", "--config", `${home}/fleet.ini`], { home, env });
      assert.equal(deploy.code, 0, deploy.stderr + deploy.stdout);

      await using proc = spawnDecnet(["up"], { cwd: home, env: { ...env, DECNET_HOME: home } });
      const [, url] = await proc.waitForLine(/API and dashboard listening on (http:\/\/\S+)/);
      await using handle = await openDatabase(`sqlite:${home}/decnet.db`);
      const repos = createRepositories(handle);

      // The orchestrator, under its own worker permissions, runs a real ssh session between the
      // Debian deckies (the peer's sshd answers with its real banner).
      await waitUntil(async () => {
        const { items } = await repos.orchestrator.listEvents({
          kind: "traffic",
          success: true,
          limit: 1,
          offset: 0,
        });
        return items.length > 0;
      }, { what: "a successful traffic tick", timeoutMs: 120_000 });

      // The reconciler, under its own permissions, sees every container running.
      await waitUntil(async () => {
        const health = await (await fetch(`${url}/api/v1/health`)).json();
        return health.workers.find((w: { name: string }) => w.name === "reconciler")?.healthy;
      }, { what: "the reconciler healthy" });
      assert.deepEqual(
        (await repos.fleet.list({ hostUuid: "local" })).map((d) => [d.name, d.state]),
        [["ws-01", "running"], ["ws-02", "running"]],
      );
      // Deploy planted baseline bait in the homes of the deckies' personas.
      assert.ok(
        (await repos.canary.listTokens({ state: "planted", limit: 50, offset: 0 })).total > 0,
      );
      assert.equal((await proc.close()).code, 0);
    } finally {
      await runDecnet(["teardown", "--all"], { home, env: { DOCKER_HOST: daemon.dockerHost } });
      await Deno.remove(home, { recursive: true });
    }
  },
});
