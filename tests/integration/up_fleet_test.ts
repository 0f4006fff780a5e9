import assert from "node:assert/strict";
import { createRepositories, openDatabase } from "../../core/db/mod.ts";
import { openDocker } from "../../core/docker/mod.ts";
import { dockerdUnavailable, startDockerd } from "../infra/dockerd.ts";
import { runDecnet } from "../infra/run_decnet.ts";
import { spawnDecnet } from "../infra/spawn_decnet.ts";
import { buildTestImage, TEST_IMAGE } from "../infra/test_image.ts";
import { waitUntil } from "../infra/wait_until.ts";

const SUBNET_PREFIX = "10.231.48";
const SSH = "nc -ll -p 22 -e sh -c 'echo SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3'";

Deno.test({
  name:
    "decnet up drives a deployed fleet from its workers: reconciler, orchestrator traffic and files, canary",
  ignore: dockerdUnavailable() !== undefined,
  async fn() {
    await using daemon = await startDockerd();
    {
      await using docker = openDocker({ dockerHost: daemon.dockerHost });
      await buildTestImage(docker);
    }
    const home = await Deno.makeTempDir({ prefix: "up-fleet-" });
    try {
      await Deno.writeTextFile(
        `${home}/fleet.ini`,
        `[network]
driver = bridge
name = lan
subnet = ${SUBNET_PREFIX}.0/24
gateway = ${SUBNET_PREFIX}.1

[defaults]
image = ${TEST_IMAGE}
base_image = ${TEST_IMAGE}

[decky ws-01]
services = ssh
command.ssh = ${SSH}
ip = ${SUBNET_PREFIX}.10

[decky ws-02]
services = ssh
command.ssh = ${SSH}
ip = ${SUBNET_PREFIX}.11
`,
      );
      const env = {
        DOCKER_HOST: daemon.dockerHost,
        DECNET_REALISM_PERSONAS:
          new URL("../../deploy/personas.example.json", import.meta.url).pathname,
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

      // The orchestrator, under its own worker permissions, reaches Docker and the deckies.
      await waitUntil(async () => {
        const { items } = await repos.orchestrator.listEvents({
          kind: "traffic",
          success: true,
          limit: 1,
          offset: 0,
        });
        return items.length > 0;
      }, { what: "a successful traffic tick", timeoutMs: 60_000 });
      const { items: [traffic] } = await repos.orchestrator.listEvents({
        kind: "traffic",
        success: true,
        limit: 1,
        offset: 0,
      });
      assert.match(JSON.parse(traffic.payload).banner ?? traffic.payload, /SSH-2\.0-/);

      // The reconciler, under its own permissions, sees every container running.
      await waitUntil(async () => {
        const health = await (await fetch(`${url}/api/v1/health`)).json();
        return health.workers.find((w: { name: string }) => w.name === "reconciler")?.healthy;
      }, { what: "the reconciler healthy" });
      assert.deepEqual(
        (await repos.fleet.list({ hostUuid: "local" })).map((d) => [d.name, d.state]),
        [["ws-01", "running"], ["ws-02", "running"]],
      );
      // Deploy planted no baseline bait: the personas (personas.example.json) have no
      // account on these busybox deckies, and bait goes only to a persona's home.
      assert.equal(
        (await repos.canary.listTokens({ state: "planted", limit: 50, offset: 0 })).total,
        0,
      );
      assert.equal((await proc.close()).code, 0);
    } finally {
      await runDecnet(["teardown", "--all"], { home, env: { DOCKER_HOST: daemon.dockerHost } });
      await Deno.remove(home, { recursive: true });
    }
  },
});
