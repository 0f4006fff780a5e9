// Issue #16 end to end on a real dockerd: `decnet sensor image` and `decnet
// deploy` put a busybox decky on a private bridge with the built-in ssh and ftp
// sensors; `decnet up --only api,collector,canary` follows the sensor's log;
// this host attacks the decky from its own address on that bridge with the real
// OpenSSH client (through sshpass) and curl, then fires a canary callback from
// the same address; the API, with a real login, shows one attacker with its
// services, credentials, auth attempts and the canary hit, and the Attackers
// page open in Chromium gets the attacker live, without a reload.
import assert from "node:assert/strict";
import { openDocker } from "../../core/docker/mod.ts";
import { buildBundle } from "../../tools/build_bundle.ts";
import { launchChromium, saveScreenshot, signIn } from "../infra/chromium.ts";
import { type DockerDaemon, dockerdUnavailable, startDockerd } from "../infra/dockerd.ts";
import { findBinary } from "../infra/find_binary.ts";
import { runDecnet } from "../infra/run_decnet.ts";
import { spawnDecnet } from "../infra/spawn_decnet.ts";
import { buildTestImage, TEST_IMAGE } from "../infra/test_image.ts";
import { waitUntil } from "../infra/wait_until.ts";

const unavailable = dockerdUnavailable() ??
  (findBinary("sshpass") && findBinary("ssh") && findBinary("curl") && findBinary("chromium")
    ? undefined
    : "sshpass, ssh, curl and chromium needed (run tools/install_test_deps.sh)");
// A /24 no other test uses, so a stale bridge of an earlier run cannot shadow it.
const LAN = `10.233.${crypto.getRandomValues(new Uint8Array(1))[0]}`;
const DECKY_IP = `${LAN}.10`;
// This host's address on the decky's bridge: the attacker's source address.
const ATTACKER_IP = `${LAN}.1`;
const ADMIN_PASSWORD = "e2e-attackers-passphrase-7f3k";

const FLEET = `
[network]
name = lan
subnet = ${LAN}.0/24
gateway = ${ATTACKER_IP}

[decky gw-01]
base_image = ${TEST_IMAGE}
ip = ${DECKY_IP}
services = ssh, ftp
`;

/** One failed password login with the real OpenSSH client; never reads any user's ssh config. */
async function sshAttempt(password: string): Promise<string> {
  const out = await new Deno.Command("sshpass", {
    args: [
      "-p",
      password,
      "ssh",
      "-F",
      "/dev/null",
      "-p",
      "22",
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
      `root@${DECKY_IP}`,
      "id",
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.notEqual(out.code, 0, "the sensor accepted a wrong password");
  return stderr;
}

async function curl(args: string[]): Promise<{ code: number; stdout: string }> {
  const out = await new Deno.Command("curl", {
    args: ["-s", "--max-time", "10", ...args],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).output();
  return { code: out.code, stdout: new TextDecoder().decode(out.stdout) };
}

/** Removes the test's containers and bridges (dockerd leaves bridges on the host). */
async function clearDocker(daemon: DockerDaemon): Promise<void> {
  await using docker = openDocker({ dockerHost: daemon.dockerHost });
  for (const c of await docker.listContainers({ all: true })) {
    await docker.removeContainer(c.id, { force: true });
  }
  for (const n of await docker.listNetworks()) {
    if (n.driver === "bridge" && n.subnets.length) await docker.removeNetwork(n.id);
  }
}

Deno.test({
  name: `an ssh and ftp attack on a sensor decky becomes one attacker with its credentials${
    unavailable ? ` (skipped: ${unavailable})` : ""
  }`,
  ignore: unavailable !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using daemon = await startDockerd();
    const home = await Deno.makeTempDir({ prefix: "attackers-e2e-" });
    const env = { DOCKER_HOST: daemon.dockerHost, DECNET_LOG_LEVEL: "warn" };
    try {
      {
        await using docker = openDocker({ dockerHost: daemon.dockerHost });
        await buildTestImage(docker);
      }
      // The sensor image as an operator builds it: from the product's own bundle.
      await buildBundle(`${home}/decnet.js`);
      const image = await runDecnet(["sensor", "image", "--program", `${home}/decnet.js`], {
        home,
        env,
      });
      assert.equal(image.code, 0, image.stderr);
      await Deno.writeTextFile(`${home}/fleet.ini`, FLEET);
      const deploy = await runDecnet(["deploy", "--config", `${home}/fleet.ini`], { home, env });
      assert.equal(deploy.code, 0, deploy.stderr + deploy.stdout);

      await using proc = spawnDecnet(["up", "--only", "api,collector,canary"], {
        cwd: home,
        env: {
          ...env,
          DECNET_HOME: home,
          DECNET_API_PORT: "0",
          DECNET_ADMIN_PASSWORD: ADMIN_PASSWORD,
          // The canary listener on the decky's bridge, so the attacker's address can reach it.
          DECNET_CANARY_HTTP_BIND: ATTACKER_IP,
          DECNET_CANARY_HTTP_PORT: "0",
          DECNET_CANARY_HTTP_BASE: `http://${ATTACKER_IP}`,
          DECNET_CANARY_ALLOW_LOCAL: "true",
          DECNET_CANARY_DNS_BIND: "127.0.0.1",
          DECNET_CANARY_DNS_PORT: "0",
        },
      });
      const [, api] = await proc.waitForLine(/listening on (http:\/\/\S+)/, 60_000);
      const [, canary] = await proc.waitForLine(/Canary HTTP listening on (\S+)/, 60_000);

      // An operator watches the Attackers page while the attack comes in.
      await using browser = await launchChromium();
      const page = await browser.newPage();
      await signIn(page, api, "admin", ADMIN_PASSWORD);
      await page.goto(`${api}/attackers`);
      await page.getByText("No attacker yet").waitFor();
      await page.getByText("live", { exact: true }).waitFor();

      // The attack, from this host's address on the bridge.
      await waitUntil(async () => {
        const conn = await Deno.connect({ hostname: DECKY_IP, port: 22 }).catch(() => undefined);
        conn?.close();
        return conn !== undefined;
      }, { what: "the ssh sensor on the decky's address", timeoutMs: 20_000 });
      assert.match(await sshAttempt("wrongpass"), /Permission denied/);
      assert.match(await sshAttempt("hunter2"), /Permission denied/);
      const ftp = await curl([`ftp://ftpuser:ftp-secret@${DECKY_IP}/`]);
      assert.equal(ftp.code, 67, "curl: the ftp login was denied");

      const login = await fetch(`${api}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }),
      });
      assert.equal(login.status, 200);
      const { access_token: token } = await login.json();
      const get = async (path: string) => {
        const res = await fetch(`${api}${path}`, { headers: { authorization: `Bearer ${token}` } });
        assert.equal(res.status, 200, path);
        return await res.json();
      };

      // Three secrets offered: the collector has stored them all once the count says so.
      let attackers: { items: { id: number; ip: string; credential_count: number }[] };
      await waitUntil(async () => {
        attackers = await get("/api/v1/attackers");
        return attackers.items.some((a) => a.ip === ATTACKER_IP && a.credential_count >= 3);
      }, { what: "the attacker with its three credentials", timeoutMs: 30_000 });
      assert.deepEqual(attackers!.items.map((a) => a.ip), [ATTACKER_IP], "one attacker record");
      const id = attackers!.items[0].id;
      const row = page.locator('[data-testid="attackers"] tbody tr', { hasText: ATTACKER_IP });
      await row.waitFor({ timeout: 15_000 });
      await saveScreenshot(page, "attackers-live");
      await row.getByRole("link").first().click();
      await page.waitForURL(`${api}/attackers/${id}`);
      await page.getByText("hunter2").waitFor();

      const detail = await get(`/api/v1/attackers/${id}`);
      assert.equal(detail.ip, ATTACKER_IP);
      assert.equal(detail.credential_count, 3);
      assert.deepEqual(
        detail.services.map((s: { decky: string; service: string }) => `${s.decky}/${s.service}`)
          .sort(),
        ["gw-01/ftp", "gw-01/ssh"],
      );
      assert.deepEqual(detail.canary_hits, []);

      const credentials = await get(`/api/v1/credentials?src_ip=${ATTACKER_IP}`);
      assert.deepEqual(
        credentials.items.map((c: Record<string, unknown>) =>
          [c.service, c.username, c.secret_kind, c.secret, c.count].join(" ")
        ).sort(),
        [
          "ftp ftpuser password ftp-secret 1",
          "ssh root password hunter2 1",
          "ssh root password wrongpass 1",
        ],
        "an admin sees each secret",
      );

      const attempts = await get(`/api/v1/logs?src_ip=${ATTACKER_IP}&kind=auth_attempt`);
      assert.deepEqual(
        attempts.items.map((
          e: { service: string; username: string; detail: Record<string, unknown> },
        ) => [e.service, e.username, e.detail.method, e.detail.accepted].join(" ")).sort(),
        ["ftp ftpuser password false", "ssh root password false", "ssh root password false"],
      );
      const sshIdents = attempts.items.filter((e: { service: string }) => e.service === "ssh")
        .map((e: { detail: { client_ident?: string } }) => e.detail.client_ident);
      assert.ok(sshIdents.every((i: string | undefined) => /^SSH-2\.0-OpenSSH_/.test(i ?? "")));

      // A canary callback from the same address is attributed to the attacker.
      const issued = await fetch(`${api}/api/v1/canary/tokens`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ kind: "http", generator: "env_file", deploy: false }),
      });
      assert.equal(issued.status, 201);
      const canaryToken = await issued.json();
      // The listener learns new tokens from the collector's snapshot: call until it counts one.
      await waitUntil(async () => {
        await curl(["-o", "/dev/null", `http://${canary}/c/${canaryToken.callback_token}`]);
        return (await get(`/api/v1/attackers/${id}`)).canary_hits.length > 0;
      }, { what: "the canary hit on the attacker", timeoutMs: 30_000 });
      const hit = (await get(`/api/v1/attackers/${id}`)).canary_hits[0];
      assert.equal(hit.token_uuid, canaryToken.uuid);
      assert.equal(hit.src_ip, ATTACKER_IP);

      assert.equal((await proc.close()).code, 0);
    } finally {
      await clearDocker(daemon);
      await Deno.remove(home, { recursive: true });
    }
  },
});
