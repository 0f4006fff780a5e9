// Issue #22 on one machine in network namespaces (tests/infra/swarm_lab.ts): a master
// namespace with nats-server (TLS, rendered by `decnet swarm nats-config`), MariaDB and the
// master's `decnet up` (DECNET_MODE=master); two agent namespaces, each with its own dockerd
// and `decnet up` (DECNET_MODE=agent). The operator's commands only: `swarm enroll`,
// `agent join` over HTTPS, `deploy` with `host =`, `swarm revoke`.
import assert from "node:assert/strict";
import { openDocker } from "../../../core/docker/mod.ts";
import { connectSwarmNats } from "../../../core/swarm/mod.ts";
import { findBinary } from "../../infra/find_binary.ts";
import { startSwarmLab, swarmLabUnavailable } from "../../infra/swarm_lab.ts";
import { TEST_IMAGE } from "../../infra/test_image.ts";
import { deployWhenAgentsAnswer } from "../../infra/swarm_lab_deploy.ts";
import { joinSwarmLab } from "../../infra/swarm_lab_join.ts";

const unavailable = swarmLabUnavailable();
const LAN = "10.208.1";

/** web-a on alpha, web-b on bravo: each agent deploys only its own. */
const FLEET = `
[network]
name = swarmlan
subnet = ${LAN}.0/24
gateway = ${LAN}.1

[defaults]
image = ${TEST_IMAGE}
base_image = ${TEST_IMAGE}
services = ssh
command.ssh = sleep 2147483647

[decky web-a]
host = alpha
ip = ${LAN}.10

[decky web-b]
host = bravo
ip = ${LAN}.11
`;

Deno.test({
  name: `swarm lab: two agents in their own namespaces enroll, join, deploy their deckies on ` +
    `their own dockerd, and a revoked agent is cut off at once${
      unavailable ? ` (skipped: ${unavailable})` : ""
    }`,
  ignore: unavailable !== undefined,
  async fn(t) {
    await using lab = await startSwarmLab(["alpha", "bravo"]);
    const [alpha, bravo] = lab.agents;
    await using master = lab.master.spawn(["up"]);
    await master.waitForLine(/listening on https:/, 90_000);

    await t.step("both agents join the master over HTTPS across the LAN", async () => {
      await joinSwarmLab(lab);
      const hosts = await lab.master.decnet(["swarm", "hosts", "--json"]);
      assert.deepEqual(
        JSON.parse(hosts.stdout).items.map((h: { name: string; state: string }) =>
          `${h.name}:${h.state}`
        ),
        ["alpha:enrolled", "bravo:enrolled"],
      );
    });

    await using _alphaUp = alpha.spawn(["up"]);
    await using _bravoUp = bravo.spawn(["up"]);
    const fleetFile = `${lab.master.home}/fleet.ini`;
    await Deno.writeTextFile(fleetFile, FLEET);
    await t.step("decnet deploy puts each decky on its host's dockerd only", async () => {
      const run = await deployWhenAgentsAnswer(lab, fleetFile);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(run.items.map((i) => [i.name, i.host, i.status]), [
        ["web-a", "alpha", "deployed"],
        ["web-b", "bravo", "deployed"],
      ]);
      for (const [agent, decky] of [[alpha, "web-a"], [bravo, "web-b"]] as const) {
        await using docker = openDocker({ dockerHost: agent.dockerd.dockerHost });
        const names = (await docker.listContainers({ all: true })).flatMap((c) => c.names).sort();
        assert.deepEqual(names, [decky, `${decky}-ssh`], agent.name);
      }
      // The decky's LAN is the agent's own: its bridge lives in the agent's namespace.
      const ping = (agent: typeof alpha) =>
        agent.run([findBinary("busybox")!, "ping", "-c", "1", "-W", "2", `${LAN}.10`]);
      const fromAlpha = await ping(alpha);
      assert.equal(fromAlpha.code, 0, fromAlpha.stdout + fromAlpha.stderr);
      assert.notEqual((await ping(bravo)).code, 0);
    });

    await t.step("a revoked agent's credentials stop working at once", async () => {
      const creds = await Deno.readTextFile(`${alpha.home}/swarm/agent.creds`);
      const connect = () =>
        connectSwarmNats({
          url: lab.master.natsUrlFromTest,
          caFile: lab.certs.caFile,
          creds,
          inboxPrefix: "_INBOX.alpha",
          reconnect: false,
        });
      const before = await connect();
      const revoke = await lab.master.decnet(["swarm", "revoke", "alpha"]);
      assert.equal(revoke.code, 0, revoke.stderr);
      // The revocation is pushed to nats-server, which closes alpha's live connections.
      await before.closed();
      await assert.rejects(connect(), /Authorization Violation/);
      // And the master no longer deploys on it.
      const run = await lab.master.decnet(["deploy", "--config", fleetFile, "--json"]);
      assert.equal(run.code, 2, run.stderr);
      assert.match(
        run.stderr,
        /expected an enrolled swarm host for decky web-a \(enrolled: bravo\), got "alpha"/,
      );
    });
  },
});
