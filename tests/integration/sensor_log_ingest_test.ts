import assert from "node:assert/strict";
import { listSensorContainers } from "../../core/attackers/list_sensor_containers.ts";
import { SensorLogIngest } from "../../core/attackers/sensor_log_ingest.ts";
import { type BusMessage, MemoryBus } from "../../core/bus/mod.ts";
import {
  createRepositories,
  migrateToLatest,
  openDatabase,
  type Repositories,
} from "../../core/db/mod.ts";
import { type DockerClient, openDocker } from "../../core/docker/mod.ts";
import { fleetLabelKeys } from "../../core/fleet/mod.ts";
import { Logger } from "../../core/log/mod.ts";
import { dockerdUnavailable, startDockerd } from "../infra/dockerd.ts";
import { buildTestImage } from "../infra/test_image.ts";
import { waitUntil } from "../infra/wait_until.ts";

const log = new Logger({ level: "error" });
const HOST = "test-host";

/**
 * A stand-in sensor: prints `count` events for web-01 (and one bad line per
 * phase), waits for /tmp/go<N> before each next phase, then stays up. Each
 * line's session says which phase and index it is, so counts are exact.
 */
function sensorScript(phases: number, count: number): string {
  const event = (p: string) =>
    `{"v":1,"time":"2026-12-01T10:00:00.000Z","decky":"web-01","service":"ssh",` +
    `"kind":"command","src_ip":"192.0.2.9","src_port":40000,"dst_port":22,` +
    `"session":"${p}-$i","command":"id"}`;
  let script = "";
  for (let p = 0; p < phases; p++) {
    if (p > 0) script += `while [ ! -e /tmp/go${p} ]; do sleep 0.05; done; `;
    script +=
      `i=0; while [ $i -lt ${count} ]; do echo '${event(`p${p}`).replace("$i", "'$i'")}'; ` +
      `i=$((i+1)); done; echo 'not an event ${p}'; `;
  }
  return script + "exec sleep 2147483647";
}

/** The collector's ingest of this host's sensors, polling fast (small batches unless `batched`). */
function ingestOf(
  docker: DockerClient,
  repos: Repositories,
  bus: MemoryBus,
  batched = true,
): SensorLogIngest {
  return new SensorLogIngest({
    docker,
    repository: repos.attackers,
    bus,
    log,
    listContainers: () => listSensorContainers(docker, HOST),
    benignSources: () => Promise.resolve(() => false),
    ...(batched ? { batch: 64, flushMs: 50 } : {}),
    pollMs: 100,
  });
}

async function startSensor(
  docker: DockerClient,
  image: string,
  name: string,
  script: string,
  restartPolicy = "no",
) {
  const labels = fleetLabelKeys();
  const id = await docker.createContainer({
    name,
    image,
    cmd: ["sh", "-c", script],
    restartPolicy,
    labels: {
      [labels.managed]: "true",
      [labels.host]: HOST,
      [labels.decky]: "web-01",
      [labels.role]: "sensor",
    },
    networkMode: "none",
  });
  await docker.startContainer(id);
  return id;
}

Deno.test({
  name:
    "SensorLogIngest stores every sensor line exactly once across collector restarts and a drain",
  ignore: dockerdUnavailable() !== undefined,
  async fn() {
    await using daemon = await startDockerd();
    await using docker = openDocker({ dockerHost: daemon.dockerHost });
    const image = await buildTestImage(docker);
    const dir = await Deno.makeTempDir({ prefix: "sensor-ingest-" });
    await using handle = await openDatabase(`sqlite:${dir}/db.sqlite`);
    await migrateToLatest(handle);
    const repos = createRepositories(handle);
    await using bus = new MemoryBus();
    const published: BusMessage[] = [];
    using _sub = bus.subscribe(">", (m) => void published.push(m));
    const ingest = () => ingestOf(docker, repos, bus);
    const stored = async () =>
      (await repos.attackers.listServiceEvents({ limit: 1, offset: 0 })).total;
    const sessions = async () =>
      (await repos.attackers.listServiceEvents({ limit: 10_000, offset: 0 })).items
        .map((e) => e.session);

    const id = await startSensor(docker, image, "web-01-sensor", sensorScript(3, 150));
    const first = ingest();
    first.start();
    await waitUntil(async () => await stored() === 150, { what: "phase 0 stored" });
    await first.close();

    // Lines logged while no collector runs are picked up from the cursor.
    await docker.exec(id, ["touch", "/tmp/go1"]);
    await waitUntil(async () => {
      const logs = await Array.fromAsync(
        docker.followLogs(id, { signal: AbortSignal.timeout(300) }),
      ).catch(() => []);
      return logs.filter((l) => l.text.includes('"p1-')).length === 150;
    }, { what: "phase 1 logged" });
    const second = ingest();
    second.start();
    await waitUntil(async () => await stored() === 300, { what: "phase 1 stored" });

    // A redeploy drains the stopped sensor from another process while the collector follows it.
    await docker.exec(id, ["touch", "/tmp/go2"]);
    await docker.stopContainer(id, { graceSeconds: 1 });
    const drainer = ingest();
    await drainer.drain({ id, decky: "web-01" });
    await second.close();
    await drainer.close();

    const all = await sessions();
    assert.equal(all.length, 450);
    assert.equal(new Set(all).size, 450, "no event stored twice");
    const cursor = await handle.db.selectFrom("sensor_log_cursors").selectAll()
      .executeTakeFirstOrThrow();
    assert.equal(Number(cursor.bad_lines), 3);
    const attacker = (await repos.attackers.listAttackers({ limit: 10, offset: 0 })).items[0];
    assert.equal(attacker.ip, "192.0.2.9");
    assert.equal(attacker.commandCount, 450);
    assert.ok(published.some((m) => m.topic === "service.web-01.ssh.event"));
    assert.ok(published.some((m) => m.topic === `attacker.${attacker.id}.observed`));
  },
});

Deno.test({
  name: "SensorLogIngest loses and repeats nothing when dockerd restarts under it",
  ignore: dockerdUnavailable() !== undefined,
  async fn() {
    await using daemon = await startDockerd();
    await using docker = openDocker({ dockerHost: daemon.dockerHost });
    const image = await buildTestImage(docker);
    const dir = await Deno.makeTempDir({ prefix: "sensor-dockerd-" });
    await using handle = await openDatabase(`sqlite:${dir}/db.sqlite`);
    await migrateToLatest(handle);
    const repos = createRepositories(handle);
    await using bus = new MemoryBus();
    const ingest = ingestOf(docker, repos, bus);
    const sessions = async () =>
      (await repos.attackers.listServiceEvents({ limit: 10_000, offset: 0 })).items
        .map((e) => e.session);
    // Its first run logs phase 0; Docker starts it again after the restart (the policy a
    // deployed sensor has) and that run logs phase 1, so every line is a distinct event.
    const script = "if [ -e /tmp/ran ]; then set -- p1; else set -- p0; touch /tmp/ran; fi; " +
      sensorScript(1, 150).replaceAll("p0-", "'\"$1\"'-");
    await startSensor(docker, image, "web-01-sensor", script, "always");
    ingest.start();
    await waitUntil(async () => (await sessions()).length === 150, { what: "first run stored" });

    await daemon.restart();
    await waitUntil(async () => (await sessions()).length >= 300, {
      what: "the run after the restart stored",
      timeoutMs: 60_000,
    });
    await ingest.close();
    const all = await sessions();
    assert.equal(all.length, 300);
    assert.equal(new Set(all).size, 300, "no event stored twice");
    assert.equal(all.filter((s) => s.startsWith("p1-")).length, 150);
  },
});

Deno.test({
  name: "SensorLogIngest counts 100,000 junk and oversize lines, stores the events among them",
  ignore: dockerdUnavailable() !== undefined,
  async fn() {
    await using daemon = await startDockerd();
    await using docker = openDocker({ dockerHost: daemon.dockerHost });
    const image = await buildTestImage(docker);
    const dir = await Deno.makeTempDir({ prefix: "sensor-junk-" });
    await using handle = await openDatabase(`sqlite:${dir}/db.sqlite`);
    await migrateToLatest(handle);
    const repos = createRepositories(handle);
    await using bus = new MemoryBus();
    const labels = fleetLabelKeys();
    const event = (i: number) =>
      `{"v":1,"time":"2026-12-01T10:00:00.000Z","decky":"web-01","service":"ftp","kind":"connect",` +
      `"src_ip":"192.0.2.7","src_port":${40000 + i},"dst_port":21,"session":"e${i}"}`;
    // Junk, three lines far over the limit (Docker splits them in 16 KiB parts), a line
    // naming another decky, and ten good events spread among them.
    const script = [
      ...Array.from(
        { length: 10 },
        (_, i) => `yes 'not json at all' | head -n 10000; echo '${event(i)}'`,
      ),
      "i=0; while [ $i -lt 3 ]; do head -c 300000 /dev/zero | tr '\\0' x; echo; i=$((i+1)); done",
      `echo '${event(99).replace('"web-01"', '"db-01"')}'`,
      "exec sleep 2147483647",
    ].join("; ");
    const id = await docker.createContainer({
      name: "web-01-sensor",
      image,
      cmd: ["sh", "-c", script],
      labels: {
        [labels.managed]: "true",
        [labels.host]: HOST,
        [labels.decky]: "web-01",
        [labels.role]: "sensor",
      },
      networkMode: "none",
    });
    await docker.startContainer(id);
    const ingest = ingestOf(docker, repos, bus, false);
    const rssBefore = Deno.memoryUsage().rss;
    const started = performance.now();
    ingest.start();
    await waitUntil(() => ingest.stats().bad_lines === 100_004, {
      what: "every junk line counted",
      timeoutMs: 120_000,
    });
    const seconds = (performance.now() - started) / 1000;
    await ingest.close();
    assert.equal(ingest.stats().events, 10);
    const sessions = (await repos.attackers.listServiceEvents({ limit: 100, offset: 0 })).items
      .map((e) => e.session).sort();
    assert.deepEqual(sessions, Array.from({ length: 10 }, (_, i) => `e${i}`).sort());
    // A figure, not an assertion: what following a noisy sensor costs.
    console.log(
      `junk ingest: 100,014 lines in ${seconds.toFixed(1)} s, RSS ${
        ((Deno.memoryUsage().rss - rssBefore) / 2 ** 20).toFixed(0)
      } MiB above start`,
    );
  },
});
