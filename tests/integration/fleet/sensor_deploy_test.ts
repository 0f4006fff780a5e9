import assert from "node:assert/strict";
import { MemoryBus } from "../../../core/bus/mod.ts";
import { createRepositories, openMigratedDatabase } from "../../../core/db/mod.ts";
import { type EngineClient, openDocker } from "../../../core/docker/mod.ts";
import {
  deployFleet,
  type FleetContext,
  parseFleetSpec,
  SENSOR_IMAGE,
  StateFile,
} from "../../../core/fleet/mod.ts";
import { Logger } from "../../../core/log/mod.ts";
import { buildBundle } from "../../../tools/build_bundle.ts";
import { dockerdUnavailable, startDockerd } from "../../infra/dockerd.ts";
import { createNetns, netnsUnavailable } from "../../infra/netns.ts";
import { runDecnet } from "../../infra/run_decnet.ts";
import { buildTestImage, TEST_IMAGE } from "../../infra/test_image.ts";
import {
  buildDebianImage,
  DEBIAN_IMAGE_CMD,
  debianImageUnavailable,
} from "../../infra/debian_image.ts";
import { waitUntil } from "../../infra/wait_until.ts";

const TEST_MAIN = new URL("../_sensor_test_main.ts", import.meta.url).pathname;
const unavailable = dockerdUnavailable() ?? netnsUnavailable();
// A /24 no other test uses, so a stale bridge of an earlier run cannot shadow it.
const LAN = `10.232.${crypto.getRandomValues(new Uint8Array(1))[0]}`;

/** A dockerd with the busybox image and a sensor image built by `decnet sensor image`. */
async function sensorHost() {
  const daemon = await startDockerd();
  const docker = openDocker({ dockerHost: daemon.dockerHost }) as EngineClient;
  await buildTestImage(docker);
  const home = await Deno.makeTempDir({ prefix: "sensor-home-" });
  const bundle = `${home}/program.js`;
  await buildBundle(bundle, TEST_MAIN);
  const built = await runDecnet(["sensor", "image", "--program", bundle, "--json"], {
    home,
    env: { DOCKER_HOST: daemon.dockerHost, DECNET_LOG_LEVEL: "warn" },
  });
  assert.equal(built.code, 0, built.stderr);
  const handle = await openMigratedDatabase(`sqlite:${home}/decnet.db`);
  const context = (bus: MemoryBus): FleetContext => ({
    hostUuid: "local",
    docker,
    fleet: createRepositories(handle).fleet,
    stateFile: new StateFile(home, "local"),
    bus,
    log: new Logger({ level: "error" }),
    now: () => new Date(),
  });
  const close = async () => {
    // dockerd leaves its bridges on the host when stopped: remove them first.
    for (const c of await docker.listContainers()) {
      await docker.removeContainer(c.id, { force: true });
    }
    for (const n of await docker.listNetworks()) {
      if (n.driver === "bridge" && n.subnets.length) await docker.removeNetwork(n.id);
    }
    await handle.close();
    await docker.close();
    await daemon.close();
    await Deno.remove(home, { recursive: true });
  };
  return { daemon, docker, home, built: JSON.parse(built.stdout), context, handle, close };
}

function fleet(network: string, subnet: string, egress: string, decky: string): string {
  return `
[network]
name = ${network}
subnet = ${subnet}.0/24
gateway = ${subnet}.1
egress = ${egress}

[decky ${decky}]
base_image = ${TEST_IMAGE}
ip = ${subnet}.10
services = telnet
telnet.banner = FreeBSD/amd64 (gate) (pts/0)
cpus = 0.5
memory = 256m
pids = 100
`;
}

Deno.test({
  name:
    "sensor image holds no product name, and a deployed decky's sensor serves its IP and logs JSON events",
  ignore: unavailable !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const host = await sensorHost();
    try {
      const image = await host.docker.inspectImage(SENSOR_IMAGE);
      assert.ok(image, `${SENSOR_IMAGE} exists`);
      assert.equal(host.built.image, SENSOR_IMAGE);
      assert.equal(image.entrypoint[0], "/usr/sbin/netd");
      assert.equal(image.user, "65534:8");
      assert.deepEqual(image.labels, {});
      assert.doesNotMatch(JSON.stringify(image), /decnet/i);
      const files = await imageFiles(host.daemon.dockerHost, SENSOR_IMAGE);
      assert.ok(files.includes("usr/sbin/netd") && files.includes("usr/lib/netd/netd.js"));
      assert.ok(files.some((f) => /libc\.so\.6$/.test(f)), files.join(" "));
      assert.deepEqual(files.filter((f) => /decnet|deno/i.test(f)), []);

      await using bus = new MemoryBus({ channel: `sensor-${crypto.randomUUID()}` });
      const spec = parseFleetSpec(fleet("lan", LAN, "deny", "gw-01"), {
        sensorServices: ["telnet"],
      });
      const result = await deployFleet(spec, host.context(bus));
      assert.equal(result.error, undefined, JSON.stringify(result));
      assert.deepEqual(result.results[0].containers, ["gw-01", "gw-01-sensor"]);

      const sensor = (await host.docker.inspectContainer("gw-01-sensor"))!;
      assert.match(sensor.networkMode, /^container:/);
      assert.equal(sensor.user, "65534:8");
      assert.deepEqual(sensor.limits, {
        nanoCpus: 5e8,
        memoryBytes: 256 * 1024 ** 2,
        pidsLimit: 100,
      });
      const base = (await host.docker.inspectContainer("gw-01"))!;
      assert.deepEqual(base.limits, sensor.limits);

      // From the host, as an attacker on the LAN would: the decky's own address.
      const sensorConnection = async () => {
        let conn: Deno.Conn | undefined;
        await waitUntil(async () => {
          conn = await Deno.connect({ hostname: `${LAN}.10`, port: 2323 }).catch(() => undefined);
          return conn !== undefined;
        }, { what: "the sensor listening on the decky's address", timeoutMs: 30_000 });
        return conn!;
      };
      const conn = await sensorConnection();
      const reply = await exchange(conn, "uname -a\r\n", 2);
      conn.close();
      assert.equal(reply, "220 FreeBSD/amd64 (gate) (pts/0)\r\nuname -a\r\n");
      const events = await waitForEvents(host.docker, "gw-01-sensor", 3);
      assert.deepEqual(events.map((e) => e.kind), ["connect", "command", "disconnect"]);
      assert.equal(events[1].command, "uname -a");
      assert.equal(events[0].decky, "gw-01");
      assert.equal(events[0].dst_port, 2323);
      assert.equal(events[0].v, 1);

      // The decky's own process list does not show the sensor.
      const ps = await host.docker.exec("gw-01", ["ps", "-o", "args"]);
      assert.doesNotMatch(new TextDecoder().decode(ps.stdout), /netd|sensor/);

      // A second deploy keeps the sensor; the sandbox refuses reads outside its files.
      const again = await deployFleet(spec, host.context(bus));
      assert.equal(again.results[0].status, "unchanged");
      const probe = await Deno.connect({ hostname: `${LAN}.10`, port: 2323 });
      const denied = await exchange(probe, "read /etc/passwd\r\n", 2);
      probe.close();
      assert.match(denied, /denied/);

      // An intruder's change goes with a revert, from the CLI; the sensor comes back.
      const touched = await host.docker.exec("gw-01", ["touch", "/root/pwned"]);
      assert.equal(touched.exitCode, 0);
      const before = (await host.docker.inspectContainer("gw-01"))!.id;
      const revert = await runDecnet(["decky", "revert", "gw-01", "--json"], {
        home: host.home,
        env: { DOCKER_HOST: host.daemon.dockerHost, DECNET_LOG_LEVEL: "warn" },
      });
      assert.equal(revert.code, 0, revert.stderr);
      assert.deepEqual(JSON.parse(revert.stdout), {
        name: "gw-01",
        status: "reverted",
        removed: 2,
      });
      assert.notEqual((await host.docker.inspectContainer("gw-01"))!.id, before);
      const gone = await host.docker.exec("gw-01", ["ls", "/root/pwned"]);
      assert.notEqual(gone.exitCode, 0, "the intruder's file is gone");
      const dockerenv = await host.docker.exec("gw-01", ["ls", "/.dockerenv"]);
      assert.notEqual(dockerenv.exitCode, 0, "tells hidden again");
      assert.ok((await host.docker.inspectContainer("gw-01-sensor"))!.running);
      const absent = await runDecnet(["decky", "revert", "nosuch"], {
        home: host.home,
        env: { DOCKER_HOST: host.daemon.dockerHost, DECNET_LOG_LEVEL: "warn" },
      });
      assert.equal(absent.code, 1);
      assert.match(absent.stderr, /Cannot revert: no decky nosuch/);

      // An operator ends a live session from the CLI, through Docker only (the reverted
      // decky's sensor may still be starting).
      const live = await sensorConnection();
      try {
        await exchange(live, "id\r\n", 2);
        const localPort = (live.localAddr as Deno.NetAddr).port;
        const after = await waitForEvents(host.docker, "gw-01-sensor", 2);
        const session = after.find((e) => e.kind === "connect" && e.src_port === localPort)!
          .session as string;
        const killed = await runDecnet(["session", "kill", session, "--decky", "gw-01", "--json"], {
          home: host.home,
          env: { DOCKER_HOST: host.daemon.dockerHost, DECNET_LOG_LEVEL: "warn" },
        });
        assert.equal(killed.code, 0, killed.stderr);
        assert.deepEqual(JSON.parse(killed.stdout), {
          decky: "gw-01",
          session,
          status: "requested",
        });
        assert.equal(await live.read(new Uint8Array(64)), null, "the attacker's connection ends");
        await waitUntil(
          async () =>
            (await waitForEvents(host.docker, "gw-01-sensor", 1)).some((e) =>
              e.kind === "disconnect" && e.session === session && e.reason === "killed"
            ),
          { what: "the killed session's disconnect" },
        );
      } finally {
        live.close();
      }
      const noSensor = await runDecnet(["session", "kill", "s-1", "--decky", "nosuch"], {
        home: host.home,
        env: { DOCKER_HOST: host.daemon.dockerHost, DECNET_LOG_LEVEL: "warn" },
      });
      assert.equal(noSensor.code, 1);
      assert.match(noSensor.stderr, /no running sensor on decky nosuch/);
    } finally {
      await host.close();
    }
  },
});

Deno.test({
  name:
    "deployFleet() moves a Debian decky's sshd to loopback and its gated fleet port, and gives the ssh sensor a relay key only it holds",
  ignore: unavailable !== undefined || debianImageUnavailable() !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const host = await sensorHost();
    try {
      const image = await buildDebianImage(host.docker);
      await using bus = new MemoryBus({ channel: `relay-${crypto.randomUUID()}` });
      const spec = parseFleetSpec(
        `[network]
name = lan
subnet = ${LAN}.0/24
[decky srv-01]
base_image = ${image}
base_command = ${JSON.stringify(DEBIAN_IMAGE_CMD)}
ip = ${LAN}.11
services = ssh
`,
        { sensorServices: ["ssh"] },
      );
      const result = await deployFleet(spec, host.context(bus));
      assert.equal(result.error, undefined, JSON.stringify(result));
      // Port 22 of the decky is the sensor's (the line service stands in for ssh here).
      let conn: Deno.Conn | undefined;
      await waitUntil(async () => {
        conn = await Deno.connect({ hostname: `${LAN}.11`, port: 22 }).catch(() => undefined);
        return conn !== undefined;
      }, { what: "the sensor on port 22", timeoutMs: 20_000 });
      const reply = await exchange(conn!, "read /etc/netd/ssh_key\r\n", 2);
      conn!.close();
      assert.equal(reply, "220 ready\r\nok\r\n", "the sandbox lets the sensor read its key");
      // The decky's sshd answers on its loopback only, and takes the sensor's key.
      const sh = (script: string) =>
        host.docker.exec("srv-01", ["bash", "-c", script], { user: "0" });
      // The decky boots (sysvinit's rc scripts) while the sensor starts: wait for its sshd.
      await waitUntil(async () => {
        const banner = await sh("exec 3<>/dev/tcp/127.0.0.1/2222; head -c 8 <&3");
        return new TextDecoder().decode(banner.stdout) === "SSH-2.0-";
      }, { what: "the decky's sshd on 127.0.0.1:2222", timeoutMs: 30_000 });
      const keyOut = await new Deno.Command("docker", {
        args: ["-H", host.daemon.dockerHost, "cp", "srv-01-sensor:/etc/netd/ssh_key", "-"],
        stdout: "piped",
      }).output();
      assert.equal(keyOut.code, 0);
      await host.docker.copyToContainer("srv-01", keyOut.stdout, { path: "/tmp" });
      const login = await sh(
        "chmod 600 /tmp/ssh_key && ssh -i /tmp/ssh_key -p 2222 -o StrictHostKeyChecking=no -o BatchMode=yes root@127.0.0.1 id -un",
      );
      assert.equal(
        new TextDecoder().decode(login.stdout).trim(),
        "root",
        new TextDecoder().decode(login.stderr),
      );
      // It also listens on the LAN address's fleet port, which the gate hides from this host (not
      // a decky): no answer at all, as a filtered port (fleet_ssh_port_test covers the fleet side).
      const fromLan = await sh(`exec 3<>/dev/tcp/${LAN}.11/2222`);
      assert.equal(fromLan.exitCode, 0, "sshd listens on the decky's LAN address");
      const fromHost = await new Deno.Command("timeout", {
        args: ["3", "bash", "-c", `exec 3<>/dev/tcp/${LAN}.11/2222`],
      }).output();
      assert.equal(fromHost.code, 124, "the fleet port answers this host");
    } finally {
      await host.close();
    }
  },
});

Deno.test({
  name: "deployFleet() gives deckies of an egress = deny network no way beyond the LAN",
  ignore: unavailable !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    // This host plays the outside world; the fleet's host is a namespace with its own dockerd
    // (and so its own iptables, where Docker's filtering of internal networks lives).
    await using lanHost = await createNetns();
    const route = await lanHost.run(["ip", "route", "add", "default", "via", lanHost.hostAddress]);
    assert.equal(route.code, 0, route.stderr);
    await using daemon = await startDockerd({ netns: lanHost.name });
    await using docker = openDocker({ dockerHost: daemon.dockerHost });
    await buildTestImage(docker);
    const home = await Deno.makeTempDir({ prefix: "egress-home-" });
    await using handle = await openMigratedDatabase(`sqlite:${home}/decnet.db`);
    await using bus = new MemoryBus({ channel: `egress-${crypto.randomUUID()}` });
    const context: FleetContext = {
      hostUuid: "local",
      docker,
      fleet: createRepositories(handle).fleet,
      stateFile: new StateFile(home, "local"),
      bus,
      log: new Logger({ level: "error" }),
      now: () => new Date(),
    };
    const plain = (network: string, subnet: string, egress: string, decky: string) =>
      parseFleetSpec(`
[network]
name = ${network}
subnet = ${subnet}.0/24
gateway = ${subnet}.1
egress = ${egress}

[decky ${decky}]
base_image = ${TEST_IMAGE}
ip = ${subnet}.10
services = web
image.web = ${TEST_IMAGE}
`);
    try {
      for (
        const spec of [
          plain("open", "10.231.49", "allow", "ws-01"),
          plain("closed", "10.231.50", "deny", "ws-02"),
        ]
      ) {
        const r = await deployFleet(spec, context);
        assert.equal(r.error, undefined, JSON.stringify(r));
      }
      using outside = Deno.listen({ hostname: lanHost.hostAddress, port: 0 });
      const port = String((outside.addr as Deno.NetAddr).port);
      const accepted: string[] = [];
      const accepting = (async () => {
        for await (const conn of outside) {
          accepted.push((conn.remoteAddr as Deno.NetAddr).hostname);
          conn.close();
        }
      })().catch(() => {});
      const nc = (decky: string, ip: string, p: string) =>
        docker.exec(decky, ["nc", "-w", "3", ip, p], { stdin: "hi\n" });
      const allowed = await nc("ws-01", lanHost.hostAddress, port);
      assert.equal(allowed.exitCode, 0, new TextDecoder().decode(allowed.stderr));
      await waitUntil(() => accepted.length === 1, { what: "the allowed decky's connection" });
      const denied = await nc("ws-02", lanHost.hostAddress, port);
      assert.notEqual(denied.exitCode, 0);
      assert.equal(accepted.length, 1, "the denied decky's connection arrived outside");
      // The fleet host's own listeners on the LAN (the canary's) stay reachable.
      const listener = new Deno.Command("ip", {
        args: ["netns", "exec", lanHost.name, "busybox", "nc", "-l", "-p", "7070"],
        stdout: "piped",
      }).spawn();
      await waitUntil(async () => {
        const r = await lanHost.run(["busybox", "netstat", "-ltn"]);
        return r.stdout.includes(":7070");
      }, { what: "the LAN listener" });
      const lan = await nc("ws-02", "10.231.50.1", "7070");
      assert.equal(lan.exitCode, 0, new TextDecoder().decode(lan.stderr));
      const heard = await listener.output();
      // busybox nc may close before relaying the line; the accepted connection is the proof.
      assert.equal(heard.code, 0, "the LAN listener accepted the denied decky's connection");
      outside.close();
      await accepting;
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
});

async function exchange(conn: Deno.Conn, line: string, replies: number): Promise<string> {
  const buffer = new Uint8Array(4096);
  let text = "";
  const read = async () => {
    const n = await conn.read(buffer);
    if (n === null) throw new Error(`connection closed after ${JSON.stringify(text)}`);
    text += new TextDecoder().decode(buffer.subarray(0, n));
  };
  while (!text.includes("\r\n")) await read();
  await conn.write(new TextEncoder().encode(line));
  while (text.split("\r\n").length - 1 < replies) await read();
  return text;
}

async function waitForEvents(
  docker: EngineClient,
  container: string,
  count: number,
): Promise<Record<string, unknown>[]> {
  let events: Record<string, unknown>[] = [];
  await waitUntil(async () => {
    const { stdout } = await docker.containerLogs(container);
    events = new TextDecoder().decode(stdout).split("\n").filter(Boolean).map((l) => JSON.parse(l));
    return events.length >= count;
  }, { what: `${count} events in ${container}'s log`, timeoutMs: 10_000 });
  return events;
}

/** The image's files, through the Docker CLI: create, export, list. */
async function imageFiles(dockerHost: string, image: string): Promise<string[]> {
  const docker = (args: string[]) =>
    new Deno.Command("docker", { args: ["-H", dockerHost, ...args], stdout: "piped" }).output();
  const created = await docker(["create", image]);
  const id = new TextDecoder().decode(created.stdout).trim();
  const dir = await Deno.makeTempDir();
  try {
    const exported = await docker(["export", "-o", `${dir}/fs.tar`, id]);
    assert.equal(exported.code, 0);
    const list = await new Deno.Command("tar", { args: ["-tf", `${dir}/fs.tar`], stdout: "piped" })
      .output();
    return new TextDecoder().decode(list.stdout).split("\n").filter(Boolean);
  } finally {
    await docker(["rm", id]);
    await Deno.remove(dir, { recursive: true });
  }
}
