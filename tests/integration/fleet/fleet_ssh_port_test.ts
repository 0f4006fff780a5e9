// The fleet's own SSH on sensor-served deckies, through a real dockerd, real Debian deckies and
// the real ssh sensor: the orchestrator's session from one decky lands in the peer's own sshd
// on its gated fleet port (the peer's auth.log and `last` name the source's LAN address), a
// machine on the LAN that is not a decky finds that port filtered, and the peer's sensor still
// serves port 22 to that machine and records it as an attacker. A base Docker restarts comes
// back without the gate, and the reconciler's check puts it back.
import assert from "node:assert/strict";
import { MemoryBus } from "../../../core/bus/mod.ts";
import { createRepositories, openMigratedDatabase } from "../../../core/db/mod.ts";
import { type EngineClient, openDocker, shellScript } from "../../../core/docker/mod.ts";
import { deployFleet, parseFleetSpec, StateFile } from "../../../core/fleet/mod.ts";
import { regateRestartedDeckies } from "../../../core/fleet/regate_restarted_deckies.ts";
import { rejoinRestartedDeckies } from "../../../core/fleet/rejoin_restarted_deckies.ts";
import { Logger } from "../../../core/log/mod.ts";
import { Orchestrator } from "../../../core/orchestrator/mod.ts";
import {
  DEFAULT_REALISM_CONFIG,
  mulberry32,
  parsePersonas,
  REALISM_SETTINGS_KEY,
} from "../../../realism/mod.ts";
import { buildBundle } from "../../../tools/build_bundle.ts";
import { createBridgeNetns } from "../../infra/bridge_netns.ts";
import {
  buildDebianImage,
  DEBIAN_IMAGE_CMD,
  debianImageUnavailable,
} from "../../infra/debian_image.ts";
import { dockerdUnavailable, startDockerd } from "../../infra/dockerd.ts";
import { findBinary } from "../../infra/find_binary.ts";
import { netnsUnavailable } from "../../infra/netns.ts";
import { runDecnet } from "../../infra/run_decnet.ts";
import { waitUntil } from "../../infra/wait_until.ts";

const unavailable = dockerdUnavailable() ?? netnsUnavailable() ?? debianImageUnavailable() ??
  (findBinary("sshpass") && findBinary("ssh")
    ? undefined
    : "sshpass and ssh needed (run tools/install_test_deps.sh)");
// A /24 no other test uses, so a stale bridge of an earlier run cannot shadow it.
const LAN = `10.235.${crypto.getRandomValues(new Uint8Array(1))[0]}`;
const IPS: Record<string, string> = { "ws-01": `${LAN}.11`, "ws-02": `${LAN}.12` };
const OUTSIDER = `${LAN}.200`;
const text = (b: Uint8Array) => new TextDecoder().decode(b);

Deno.test({
  name:
    `the orchestrator's SSH into a sensor-served decky lands in its own sshd, gated from others${
      unavailable ? ` (skipped: ${unavailable})` : ""
    }`,
  ignore: unavailable !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await using daemon = await startDockerd();
    await using docker = openDocker({ dockerHost: daemon.dockerHost }) as EngineClient;
    const home = await Deno.makeTempDir({ prefix: "fleet-ssh-" });
    const env = { DOCKER_HOST: daemon.dockerHost, DECNET_LOG_LEVEL: "warn" };
    const sh = async (container: string, script: string, ...args: string[]) => {
      const r = await docker.exec(container, shellScript(script, args), { user: "0" });
      return { code: r.exitCode, out: text(r.stdout), err: text(r.stderr) };
    };
    try {
      const image = await buildDebianImage(docker);
      // The sensor image as an operator builds it: from the product's own bundle.
      await buildBundle(`${home}/decnet.js`);
      const built = await runDecnet(["sensor", "image", "--program", `${home}/decnet.js`], {
        home,
        env,
      });
      assert.equal(built.code, 0, built.stderr);
      await using handle = await openMigratedDatabase(`sqlite:${home}/decnet.db`);
      const clock = { now: new Date("2026-12-01T10:00:00Z") };
      const repos = createRepositories(handle, { clock: () => clock.now });
      await using bus = new MemoryBus({ channel: `fleet-ssh-${crypto.randomUUID()}` });
      const deckies = Object.entries(IPS).map(([name, ip]) => `
[decky ${name}]
base_image = ${image}
base_command = ${JSON.stringify(DEBIAN_IMAGE_CMD)}
ip = ${ip}
services = ssh
`).join("");
      const spec = parseFleetSpec(`[network]\nname = lan\nsubnet = ${LAN}.0/24\n${deckies}`);
      const deployed = await deployFleet(spec, {
        hostUuid: "local",
        docker,
        fleet: repos.fleet,
        stateFile: new StateFile(home, "local"),
        bus,
        log: new Logger({ level: "error" }),
        now: () => new Date(),
      });
      assert.equal(deployed.error, undefined, JSON.stringify(deployed));
      for (const [name, ip] of Object.entries(IPS)) {
        // sysvinit may start sshd after the deploy moved it: wait for it on the fleet port.
        await waitUntil(async () => {
          const r = await docker.exec(name, ["bash", "-c", `exec 3<>/dev/tcp/${ip}/2222`]);
          return r.exitCode === 0;
        }, { what: `${name}'s sshd on ${ip}:2222`, timeoutMs: 90_000 });
      }

      const pool = parsePersonas(
        JSON.parse(
          await Deno.readTextFile(
            new URL("../../../deploy/personas.example.json", import.meta.url),
          ),
        ),
      ).personas.map((p) => ({ ...p, active_hours: "00:00-23:59" }));
      await repos.settings.put(REALISM_SETTINGS_KEY, {
        action_weights: { traffic: 1, file: 0, email: 0 },
        canary_probability: 0,
        weights: DEFAULT_REALISM_CONFIG.weights,
      });
      const orchestrator = new Orchestrator({
        repos,
        docker,
        bus,
        log: new Logger({ level: "error" }),
        personaPool: { load: () => Promise.resolve({ personas: pool }) },
        makeLlm: () => null,
        llmByDefault: false,
        random: mulberry32(7),
        now: () => clock.now,
      });
      await orchestrator.reloadSettings();
      const result = await orchestrator.tick();
      assert.equal(result.kind, "traffic", result.detail);
      assert.equal(result.ok, true, result.detail);
      const [event] = (await repos.orchestrator.listEvents({ limit: 10, offset: 0 })).items;
      const src = event.src_decky_name!;
      const dst = event.dst_decky_name!;
      const session = JSON.parse(event.payload) as { login: string; port: number; dst_ip: string };
      assert.equal(session.port, 2222);
      assert.equal(session.dst_ip, IPS[dst]);

      await t.step(
        "the peer's own sshd logs the session from the source's LAN address",
        async () => {
          const auth = await sh(dst, "cat /var/log/auth.log");
          assert.match(
            auth.out,
            new RegExp(
              `sshd\\[\\d+\\]: Accepted publickey for ${session.login} from ${
                IPS[src].replaceAll(".", "\\.")
              } port \\d+ ssh2: ED25519 `,
            ),
          );
          assert.doesNotMatch(auth.out, /from 127\.0\.0\.1/);
          const last = await sh(dst, "last -w -i");
          assert.match(
            last.out,
            new RegExp(`^${session.login} +pts/\\d+ +${IPS[src].replaceAll(".", "\\.")} `, "m"),
          );
          const history = await sh(src, 'cat "/home/$1/.bash_history"', session.login);
          assert.match(
            history.out,
            new RegExp(`^ssh -p 2222 ${IPS[dst].replaceAll(".", "\\.")}$`, "m"),
          );
          const events = await sensorEvents(docker, `${dst}-sensor`);
          assert.deepEqual(
            events.filter((e) => e.src_ip === IPS[src]),
            [],
            "the sensor saw none of it",
          );
        },
      );

      await t.step(
        "a machine on the LAN that is not a decky finds the fleet port filtered",
        async () => {
          const network = (await docker.listNetworks()).find((n) => n.name === "lan")!;
          await using outsider = await createBridgeNetns(
            `br-${network.id.slice(0, 12)}`,
            `${OUTSIDER}/24`,
          );
          const connect = (port: number) =>
            outsider.run(["timeout", "5", "bash", "-c", `exec 3<>/dev/tcp/${IPS[dst]}/${port}`]);
          // 124: timeout's status, no answer at all (a closed port answers at once with a reset).
          assert.equal((await connect(2222)).code, 124, "the fleet port answers the outsider");
          assert.equal((await connect(22)).code, 0, "port 22 is open");

          // Port 22 is the sensor's: the outsider's login is refused and recorded, not benign.
          const login = await outsider.run([
            "sshpass",
            "-p",
            "hunter2",
            "ssh",
            "-F",
            "/dev/null",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "PreferredAuthentications=password",
            "-o",
            "NumberOfPasswordPrompts=1",
            "-o",
            "ConnectTimeout=10",
            `root@${IPS[dst]}`,
            "id",
          ]);
          assert.notEqual(login.code, 0);
          assert.match(login.stderr, /Permission denied/);
          let events: Record<string, unknown>[] = [];
          await waitUntil(async () => {
            events = (await sensorEvents(docker, `${dst}-sensor`)).filter((e) =>
              e.src_ip === OUTSIDER
            );
            return events.some((e) => e.kind === "credential");
          }, { what: "the outsider's attempt in the sensor's events" });
          assert.ok(events.some((e) => e.kind === "auth_attempt" && e.username === "root"));
          assert.deepEqual(events.filter((e) => e.benign), [], "an outsider is never benign");
        },
      );

      await t.step(
        "an intruder on the peer sees an admin's sshd, and no firewall rules",
        async () => {
          const conf = await sh(dst, "cat /etc/ssh/sshd_config.d/local.conf");
          assert.equal(
            conf.out,
            `ListenAddress 127.0.0.1:2222\nListenAddress ${
              IPS[dst]
            }:2222\nPasswordAuthentication no\n`,
          );
          // Root in the decky has no NET_ADMIN: the ruleset cannot even be read.
          const nft = await sh(dst, "nft list ruleset");
          assert.notEqual(nft.code, 0);
          assert.match(nft.err, /Operation not permitted/);
          const ps = await sh(dst, "ps -eo args");
          assert.doesNotMatch(ps.out, /nft|sleep infinity/);
          const containers = (await docker.listContainers()).flatMap((c) => c.names).sort();
          assert.deepEqual(containers, ["ws-01", "ws-01-sensor", "ws-02", "ws-02-sensor"]);
        },
      );

      await t.step(
        "a base Docker restarted is gated again, and its sensor rejoined, by the reconciler's checks",
        async () => {
          const context = {
            hostUuid: "local",
            docker,
            fleet: repos.fleet,
            stateFile: new StateFile(home, "local"),
            log: new Logger({ level: "error" }),
            now: () => new Date(),
          };
          const gatedAt = new Map<string, string>();
          assert.equal(
            await regateRestartedDeckies(context, gatedAt),
            2,
            "a fresh check gates all",
          );
          await docker.stopContainer(dst);
          await docker.startContainer(dst);
          await waitUntil(async () => {
            const r = await docker.exec(dst, ["bash", "-c", `exec 3<>/dev/tcp/${IPS[dst]}/2222`]);
            return r.exitCode === 0;
          }, { what: `${dst}'s sshd on ${IPS[dst]}:2222 after the restart`, timeoutMs: 90_000 });
          const network = (await docker.listNetworks()).find((n) => n.name === "lan")!;
          await using outsider = await createBridgeNetns(
            `br-${network.id.slice(0, 12)}`,
            `${OUTSIDER}/24`,
          );
          const connect = () =>
            outsider.run(["timeout", "5", "bash", "-c", `exec 3<>/dev/tcp/${IPS[dst]}/2222`]);
          // The documented window: a new namespace, no rules yet.
          assert.equal((await connect()).code, 0, "the restarted base is not gated yet");
          assert.equal(await regateRestartedDeckies(context, gatedAt), 1, "only the restarted one");
          assert.equal((await connect()).code, 124, "the fleet port answers the outsider");
          // The sensor stayed in the base's old namespace, which lost its interface.
          const sensorPort = () =>
            outsider.run(["timeout", "5", "bash", "-c", `exec 3<>/dev/tcp/${IPS[dst]}/22`]);
          assert.notEqual((await sensorPort()).code, 0, "the sensor is dark until rejoined");
          assert.equal(
            await rejoinRestartedDeckies(context),
            1,
            "only the restarted decky's sensor",
          );
          await waitUntil(async () => (await sensorPort()).code === 0, {
            what: `${dst}'s sensor on ${IPS[dst]}:22 after the rejoin`,
            timeoutMs: 30_000,
          });
          assert.equal(await rejoinRestartedDeckies(context), 0, "nothing left to rejoin");
        },
      );
    } finally {
      // dockerd leaves its bridges on the host when stopped: remove them first.
      for (const c of await docker.listContainers()) {
        await docker.removeContainer(c.id, { force: true });
      }
      for (const n of await docker.listNetworks()) {
        if (n.driver === "bridge" && n.subnets.length) await docker.removeNetwork(n.id);
      }
      await Deno.remove(home, { recursive: true });
    }
  },
});

/** The sensor's events so far (its stdout, one JSON object a line). */
async function sensorEvents(
  docker: EngineClient,
  container: string,
): Promise<Record<string, unknown>[]> {
  const { stdout } = await docker.containerLogs(container);
  return text(stdout).split("\n").filter(Boolean).map((l) => JSON.parse(l));
}
