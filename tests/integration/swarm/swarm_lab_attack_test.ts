// Issue #22 end to end in network namespaces (tests/infra/swarm_lab.ts): the master's and
// both agents' `decnet up`; a decky with the built-in ssh sensor on each agent's own dockerd;
// each agent's namespace attacks its decky with the real OpenSSH client (sshpass) and calls
// a canary token on its own canary listener. The master's API shows every sensor event on
// the right decky and each trigger from the right agent, carried over JetStream.
import assert from "node:assert/strict";
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
const DECKIES: Record<string, { decky: string; ip: string }> = {
  alpha: { decky: "web-a", ip: `${LAN}.10` },
  bravo: { decky: "web-b", ip: `${LAN}.11` },
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

/** One failed password login from the agent's namespace, as `<agent>-user`. */
async function sshAttempt(agent: SwarmLabAgent): Promise<string> {
  const out = await agent.run([
    findBinary("sshpass")!,
    "-p",
    `${agent.name}-secret`,
    findBinary("ssh")!,
    "-F",
    "/dev/null",
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
    `${agent.name}-user@${DECKIES[agent.name].ip}`,
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
  name: `swarm lab: an ssh attack and a canary call on a decky of each agent reach the ` +
    `master's API through JetStream${unavailable ? ` (skipped: ${unavailable})` : ""}`,
  ignore: unavailable !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await using lab = await startSwarmLab(["alpha", "bravo"]);
    // The sensor image as an operator builds it on each agent: from the product's bundle.
    const program = `${lab.master.home}/decnet.js`;
    await buildBundle(program);
    for (const agent of lab.agents) {
      const image = await agent.decnet(["sensor", "image", "--program", program]);
      assert.equal(image.code, 0, image.stderr);
    }
    await using master = lab.master.spawn(["up"]);
    await master.waitForLine(/listening on https:/, 90_000);
    await joinSwarmLab(lab);
    await using _alphaUp = lab.agents[0].spawn(["up"]);
    await using _bravoUp = lab.agents[1].spawn(["up"]);
    const fleetFile = `${lab.master.home}/fleet.ini`;
    await Deno.writeTextFile(fleetFile, FLEET);
    const deploy = await deployWhenAgentsAnswer(lab, fleetFile);
    assert.equal(deploy.code, 0, deploy.stderr + deploy.stdout);

    using client = Deno.createHttpClient({ caCerts: [await Deno.readTextFile(lab.certs.caFile)] });
    const admin = await signInAdmin(lab.master.apiUrlFromTest, SWARM_LAB_ADMIN_PASSWORD, {
      client,
    });

    await t.step("each agent's sensor events reach the master on its own decky", async () => {
      for (const agent of lab.agents) {
        const { ip } = DECKIES[agent.name];
        // The sensor's banner on the decky's address, read from the agent's namespace.
        const banner = ["timeout", "3", "bash", "-c", `head -c 4 < /dev/tcp/${ip}/22`];
        await waitUntil(async () => (await agent.run(banner)).stdout === "SSH-", {
          what: `${agent.name}'s ssh sensor`,
          timeoutMs: 30_000,
          intervalMs: 500,
        });
        assert.match(await sshAttempt(agent), /Permission denied/);
      }
      for (const agent of lab.agents) {
        const { decky } = DECKIES[agent.name];
        let items: LogItem[] = [];
        await waitUntil(async () => {
          ({ items } = await admin.get<{ items: LogItem[] }>(
            `/api/v1/logs?decky=${decky}&kind=auth_attempt`,
          ));
          return items.length > 0;
        }, { what: `${decky}'s auth attempt on the master`, timeoutMs: 60_000 });
        assert.deepEqual(
          [...new Set(items.map((i) => `${i.decky}/${i.service}/${i.username}`))],
          [`${decky}/ssh/${agent.name}-user`],
        );
      }
    });

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
  },
});
