import assert from "node:assert/strict";
import { createRepositories, openMigratedDatabase } from "../../../core/db/mod.ts";
import { openDocker } from "../../../core/docker/mod.ts";
import { publishAgentEvent, requestAgentCommand, swarmFiles } from "../../../core/swarm/mod.ts";
import { fleetStateEvent } from "../../../core/swarm/fleet_state_snapshot.ts";
import { dockerdUnavailable, startDockerd } from "../../infra/dockerd.ts";
import { natsUnavailable } from "../../infra/nats.ts";
import { startSwarmNats } from "../../infra/swarm_nats.ts";
import { spawnSwarmAgent, spawnSwarmMaster } from "../../infra/swarm_up.ts";
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
`;

interface ListedDecky {
  name: string;
  host_uuid: string;
  state: string;
}

Deno.test({
  name:
    "an agent's deckies and their states reach the master's fleet rows (API, listRunningDeckies); a stale snapshot changes nothing",
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
    const agentHome = await Deno.makeTempDir({ prefix: "agent-home-" });
    await nats.writeAgentJoin(agentHome, "alpha", joined.creds);
    // The test's own links: the master's user sends commands, the agent's stale snapshot.
    const asMaster = await nats.connectMaster();
    const asAgent = await nats.connectAgent("alpha", joined.creds);
    // A master set up before master.creds existed: `decnet up` writes it before its workers start.
    await Deno.remove(swarmFiles(nats.home).masterCreds);
    try {
      // The master has no Docker: its deckies here are all the agent's.
      await using master = await spawnSwarmMaster(nats);
      const admin = master.admin;
      assert.equal((await Deno.stat(swarmFiles(nats.home).masterCreds)).mode! & 0o777, 0o600);
      await using agent = spawnSwarmAgent(agentHome, {
        DECNET_RECONCILE_INTERVAL: "1",
        DOCKER_HOST: dockerd.dockerHost,
      });
      await agent.waitForLine(/Swarm agent alpha serving the master's commands over tls:/);
      const alphaDeckies = async () =>
        (await admin.get<{ items: ListedDecky[] }>("/api/v1/fleet/deckies?host=alpha")).items
          .map((d) => `${d.host_uuid}/${d.name}:${d.state}`);

      await t.step("a decky deployed on the agent shows on the master, running", async () => {
        await requestAgentCommand(asMaster, "alpha", "deploy", { fleet: FLEET }, {
          timeoutMs: 55_000,
        });
        await waitUntil(async () => (await alphaDeckies()).join() === "alpha/web-a:running", {
          what: "alpha/web-a running on the master",
          timeoutMs: 30_000,
        });
        const running = await repos.fleet.listRunningDeckies();
        assert.deepEqual(running.map((d) => [d.hostUuid, d.name, d.source]), [
          ["alpha", "web-a", "fleet"],
        ]);
      });

      await t.step("stopping it on the agent's Docker shows on the master", async () => {
        await docker.stopContainer("web-a", { graceSeconds: 1 });
        await waitUntil(async () => !(await alphaDeckies()).includes("alpha/web-a:running"), {
          what: "alpha/web-a no longer running on the master",
          timeoutMs: 30_000,
        });
        assert.deepEqual(await repos.fleet.listRunningDeckies(), []);
      });

      await t.step("a stale snapshot published after a newer one changes nothing", async () => {
        const before = await alphaDeckies();
        const stale = await fleetStateEvent([{
          name: "ghost",
          uuid: "00000000-0000-4000-8000-00000000dead",
          state: "running",
          stateSince: "2026-01-01T00:00:00.000Z",
          ip: null,
          services: [],
          images: {},
          network: null,
          networkDriver: null,
          osPersona: "linux",
        }], new Date("2026-01-01T00:00:00.000Z"));
        await publishAgentEvent(asAgent, "alpha", stale);
        // An event of a kind the master keeps raw, sent after it: once stored, the stale one was handled.
        const marker = {
          id: crypto.randomUUID(),
          kind: "test_marker",
          at: new Date().toISOString(),
          fields: {},
        };
        await publishAgentEvent(asAgent, "alpha", marker);
        await waitUntil(
          async () =>
            (await repos.swarmEvents.listByHost("alpha", 100)).some((e) =>
              e.event_id === marker.id
            ),
          { what: "the marker stored on the master", timeoutMs: 30_000 },
        );
        assert.deepEqual(await alphaDeckies(), before);
      });

      await t.step("a teardown on the agent removes its decky from the master", async () => {
        await requestAgentCommand(asMaster, "alpha", "teardown", { all: true }, {
          timeoutMs: 55_000,
        });
        await waitUntil(async () => (await alphaDeckies()).length === 0, {
          what: "alpha's deckies gone on the master",
          timeoutMs: 30_000,
        });
      });

      await t.step("both stop on SIGTERM", async () => {
        assert.equal((await agent.close()).code, 0);
        assert.equal((await master.close()).code, 0);
      });
    } finally {
      await asAgent.close();
      await asMaster.close();
      await handle.close();
      await Deno.remove(agentHome, { recursive: true });
    }
  },
});
