// Issue #22 end to end in network namespaces (tests/infra/swarm_lab.ts): a master namespace
// (nats-server with TLS rendered by `decnet swarm nats-config`, MariaDB, `decnet up` as
// master) and two agent namespaces (each with its own dockerd and `decnet up` as agent). The
// operator's commands only: `swarm enroll`, `agent join` over HTTPS, `deploy` with `host =`
// (a decky with the built-in ssh sensor on each agent), `swarm revoke`. Each agent's
// namespace attacks its decky with the real OpenSSH client (sshpass) and calls a canary token
// on its own canary listener; the master's API shows every sensor event on the right decky
// and each trigger from the right agent, carried over JetStream.
import assert from "node:assert/strict";
import { openDocker } from "../../../core/docker/mod.ts";
import { connectSwarmNats } from "../../../core/swarm/mod.ts";
import { buildBundle } from "../../../tools/build_bundle.ts";
import { findBinary } from "../../infra/find_binary.ts";
import { signInAdmin } from "../../infra/sign_in_admin.ts";
import {
  startSwarmLab,
  SWARM_LAB_ADMIN_PASSWORD,
  type SwarmLabAgent,
  swarmLabUnavailable,
} from "../../infra/swarm_lab.ts";
import { deployWhenAgentsAnswer } from "../../infra/swarm_lab_deploy.ts";
import { joinSwarmLab } from "../../infra/swarm_lab_join.ts";
import { TEST_IMAGE } from "../../infra/test_image.ts";
import { waitUntil } from "../../infra/wait_until.ts";

const unavailable = swarmLabUnavailable() ??
  (findBinary("sshpass") && findBinary("ssh") && findBinary("curl")
    ? undefined
    : "sshpass, ssh and curl needed (run tools/install_test_deps.sh)");
const LAN = "10.208.2";
/** Each agent's decky, and the address its namespace attacks from (one attacker per host). */
const DECKIES: Record<string, { decky: string; ip: string; attacker: string }> = {
  alpha: { decky: "web-a", ip: `${LAN}.10`, attacker: `${LAN}.201` },
  bravo: { decky: "web-b", ip: `${LAN}.11`, attacker: `${LAN}.202` },
};

const FLEET = `
[network]
name = swarmlan
subnet = ${LAN}.0/24
gateway = ${LAN}.1

[decky web-a]
host = alpha
base_image = ${TEST_IMAGE}
ip = ${DECKIES.alpha.ip}
services = ssh

[decky web-b]
host = bravo
base_image = ${TEST_IMAGE}
ip = ${DECKIES.bravo.ip}
services = ssh
`;

/** One failed password login on the agent's decky from the agent's namespace. */
async function sshAttempt(agent: SwarmLabAgent, username: string): Promise<string> {
  const out = await agent.run([
    findBinary("sshpass")!,
    "-p",
    `${agent.name}-secret`,
    findBinary("ssh")!,
    "-F",
    "/dev/null",
    "-b",
    DECKIES[agent.name].attacker,
    "-o",
    "StrictHostKeyChecking=no",
    "-o",
    "UserKnownHostsFile=/dev/null",
    "-o",
    "PreferredAuthentications=password",
    "-o",
    "PubkeyAuthentication=no",
    "-o",
    "NumberOfPasswordPrompts=1",
    "-o",
    "ConnectTimeout=10",
    `${username}@${DECKIES[agent.name].ip}`,
    "id",
  ]);
  assert.notEqual(out.code, 0, "the sensor accepted a wrong password");
  return out.stderr;
}

interface LogItem {
  decky: string;
  service: string;
  kind: string;
  username: string | null;
}

Deno.test({
  name: `swarm lab: two agents join, deploy their deckies on their own dockerd, an ssh attack ` +
    `and a canary call on each reach the master's API, and a revoked agent is cut off${
      unavailable ? ` (skipped: ${unavailable})` : ""
    }`,
  ignore: unavailable !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await using lab = await startSwarmLab(["alpha", "bravo"]);
    // The sensor image as an operator builds it on each agent: from the product's bundle.
    const program = `${lab.master.home}/decnet.js`;
    await buildBundle(program);
    for (
      const image of await Promise.all(
        lab.agents.map((agent) => agent.decnet(["sensor", "image", "--program", program])),
      )
    ) {
      assert.equal(image.code, 0, image.stderr);
    }
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
    await using _alphaUp = lab.agents[0].spawn(["up"]);
    await using _bravoUp = lab.agents[1].spawn(["up"]);
    const fleetFile = `${lab.master.home}/fleet.ini`;
    await Deno.writeTextFile(fleetFile, FLEET);

    await t.step("decnet deploy puts each decky on its host's dockerd only", async () => {
      const deploy = await deployWhenAgentsAnswer(lab, fleetFile);
      assert.equal(deploy.code, 0, deploy.stderr + deploy.stdout);
      assert.deepEqual(deploy.items.map((i) => [i.name, i.host, i.status]), [
        ["web-a", "alpha", "deployed"],
        ["web-b", "bravo", "deployed"],
      ]);
      for (const agent of lab.agents) {
        await using docker = openDocker({ dockerHost: agent.dockerd.dockerHost });
        const deckies = (await docker.listContainers({ all: true }))
          .flatMap((c) => c.names).filter((n) => /^web-/.test(n));
        assert.ok(deckies.length > 0, agent.name);
        assert.ok(deckies.every((n) => n.startsWith(DECKIES[agent.name].decky)), deckies.join());
      }
      // The decky's LAN is its agent's own: its bridge lives in the agent's namespace.
      const ping = (agent: SwarmLabAgent) =>
        agent.run([findBinary("busybox")!, "ping", "-c", "1", "-W", "2", DECKIES.alpha.ip]);
      const fromAlpha = await ping(lab.agents[0]);
      assert.equal(fromAlpha.code, 0, fromAlpha.stdout + fromAlpha.stderr);
      assert.notEqual((await ping(lab.agents[1])).code, 0);
    });

    using client = Deno.createHttpClient({ caCerts: [await Deno.readTextFile(lab.certs.caFile)] });
    const admin = await signInAdmin(lab.master.apiUrlFromTest, SWARM_LAB_ADMIN_PASSWORD, {
      client,
    });

    /** `name:state` of each of the master's fleet rows of `host`. */
    const deckiesOn = async (host: string) => {
      const { items } = await admin.get<{ items: { name: string; state: string }[] }>(
        `/api/v1/fleet/deckies?host=${host}`,
      );
      return items.map((d) => `${d.name}:${d.state}`);
    };
    await t.step("the master's fleet shows each agent's decky under its own host", async () => {
      // Each agent's agent-collector sends a fleet_state snapshot whenever its state file changes.
      for (const agent of lab.agents) {
        const expected = [`${DECKIES[agent.name].decky}:running`];
        await waitUntil(
          async () => JSON.stringify(await deckiesOn(agent.name)) === JSON.stringify(expected),
          { what: `${agent.name}'s fleet rows on the master`, timeoutMs: 60_000, intervalMs: 500 },
        );
        assert.deepEqual(await deckiesOn(agent.name), expected);
      }
    });

    /** The distinct decky/service/username of the master's auth attempts on `decky`. */
    const attempts = async (decky: string) => {
      const { items } = await admin.get<{ items: LogItem[] }>(
        `/api/v1/logs?decky=${decky}&kind=auth_attempt&limit=500`,
      );
      return [...new Set(items.map((i) => `${i.decky}/${i.service}/${i.username}`))].sort();
    };

    await t.step(
      "each agent's sensor events reach the master on its own decky and host",
      async () => {
        for (const agent of lab.agents) {
          const { ip, attacker } = DECKIES[agent.name];
          // The attacker's own address on the decky's bridge (in the agent's namespace).
          const route = await agent.run([findBinary("ip")!, "-o", "route", "get", ip]);
          const bridge = route.stdout.match(/ dev (\S+)/)![1];
          const add = await agent.run([
            findBinary("ip")!,
            "addr",
            "add",
            `${attacker}/24`,
            "dev",
            bridge,
          ]);
          assert.equal(add.code, 0, add.stderr);
          // The sensor's banner on the decky's address, read from the attacker's address (the
          // sensor records every connection: from any other one it would be another attacker).
          const banner = [
            findBinary("curl")!,
            "-s",
            "--max-time",
            "2",
            "--interface",
            attacker,
            `telnet://${ip}:22`,
          ];
          await waitUntil(async () => (await agent.run(banner)).stdout.startsWith("SSH-"), {
            what: `${agent.name}'s ssh sensor`,
            timeoutMs: 30_000,
            intervalMs: 500,
          });
          assert.match(await sshAttempt(agent, `${agent.name}-user`), /Permission denied/);
        }
        for (const agent of lab.agents) {
          const { decky } = DECKIES[agent.name];
          await waitUntil(async () => (await attempts(decky)).length > 0, {
            what: `${decky}'s auth attempt on the master`,
            timeoutMs: 60_000,
          });
          assert.deepEqual(await attempts(decky), [`${decky}/ssh/${agent.name}-user`]);
          // The master knows which host each attacker touched.
          const { items } = await admin.get<{ items: { ip: string }[] }>(
            `/api/v1/attackers?host=${agent.name}`,
          );
          assert.deepEqual(items.map((a) => a.ip), [DECKIES[agent.name].attacker]);
        }
      },
    );

    await t.step("a canary call on each agent's listener is a trigger on the master", async () => {
      const token = await admin.post<{ uuid: string; callback_token: string }>(
        "/api/v1/canary/tokens",
        { kind: "http", generator: "env_file", deploy: false },
      );
      for (const agent of lab.agents) {
        // The agent learns new tokens from the master: call until the master has the trigger.
        await waitUntil(async () => {
          await agent.run([
            findBinary("curl")!,
            "-s",
            "-o",
            "/dev/null",
            "--max-time",
            "5",
            `http://${agent.address}:8088/c/${token.callback_token}`,
          ]);
          const { items } = await admin.get<{ items: { src_ip: string }[] }>(
            `/api/v1/canary/tokens/${token.uuid}/triggers`,
          );
          return items.some((i) => i.src_ip === agent.address);
        }, { what: `${agent.name}'s trigger on the master`, timeoutMs: 60_000, intervalMs: 1000 });
      }
    });

    await t.step("a revoked agent's credentials stop working at once", async () => {
      const [alpha, bravo] = lab.agents;
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
      // Its fleet rows went with it; bravo's stay.
      assert.deepEqual(await deckiesOn("alpha"), []);
      assert.deepEqual(await deckiesOn("bravo"), ["web-b:running"]);
      const deploy = await lab.master.decnet(["deploy", "--config", fleetFile, "--json"]);
      assert.equal(deploy.code, 2, deploy.stderr);
      assert.match(
        deploy.stderr,
        /expected an enrolled swarm host for decky web-a \(enrolled: bravo\), got "alpha"/,
      );
      // bravo's events still arrive; alpha's stay on alpha.
      await sshAttempt(alpha, "alpha-late");
      await sshAttempt(bravo, "bravo-late");
      await waitUntil(async () => (await attempts("web-b")).length === 2, {
        what: "bravo's later attempt on the master",
        timeoutMs: 60_000,
      });
      assert.deepEqual(await attempts("web-b"), ["web-b/ssh/bravo-late", "web-b/ssh/bravo-user"]);
      assert.deepEqual(await attempts("web-a"), ["web-a/ssh/alpha-user"]);
    });
  },
});
