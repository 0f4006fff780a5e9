/**
 * A decky's sensor as it really runs (#15): the sensor image built by
 * `buildSensorImage()` on a private dockerd, one container serving all nine
 * protocols, its process's RSS once every port listens and it has idled.
 * Compared, for the sensor's own bundle (decnet-sensor.js, what `deno task
 * build` and the release ship) and the whole of decnet.js (what a build
 * without it falls back to): the image with the runtime's cache shipped warm
 * (what `sensor image` builds) and shipped empty (every container start cold).
 * Target: <= 60 MB. Printed, never asserted; skipped without dockerd.
 *
 * Run: deno run --allow-all tests/bench/sensor_container_memory_bench.ts [settle s, default 15]
 */
import { openDocker } from "../../core/docker/mod.ts";
import { buildSensorImage } from "../../core/sensor/build_sensor_image.ts";
import { SENSOR_USER } from "../../core/sensor/sensor_image.ts";
import { buildBundle, buildSensorBundle } from "../../tools/build_bundle.ts";
import { dockerdUnavailable, startDockerd } from "../infra/dockerd.ts";
import { waitUntil } from "../infra/wait_until.ts";

const SETTLE_MS = Number(Deno.args[0] ?? 15) * 1000;
const SERVICES = ["ssh", "imap", "pop3", "smb", "http", "mysql", "rdp", "ftp", "telnet"];

/** TCP sockets in LISTEN state in a process's network namespace. */
function listening(pid: number): number {
  return Deno.readTextFileSync(`/proc/${pid}/net/tcp`).split("\n").slice(1)
    .filter((l) => l.trim().split(/\s+/)[3] === "0A").length;
}

function status(pid: number, field: string): string {
  return new RegExp(`${field}:\\s+(.*)`).exec(Deno.readTextFileSync(`/proc/${pid}/status`))![1];
}

const unavailable = dockerdUnavailable();
if (unavailable) {
  console.log(`skipped: ${unavailable}`);
  Deno.exit(0);
}
console.log(
  `${new Date().toISOString()}  load average ${
    Deno.loadavg().map((l) => l.toFixed(2)).join(" ")
  }  settle ${SETTLE_MS / 1000} s`,
);
const dir = await Deno.makeTempDir({ prefix: "sensor-container-bench-" });
await using daemon = await startDockerd();
await using docker = openDocker({ dockerHost: daemon.dockerHost });
try {
  const sensorBundle = await buildSensorBundle(dir);
  await buildBundle(`${dir}/decnet.js`);
  const variants: [string, string, boolean][] = [
    ["decnet-sensor.js, cache empty (cold)", sensorBundle, false],
    ["decnet-sensor.js, cache shipped", sensorBundle, true],
    ["decnet.js, cache empty (cold)", `${dir}/decnet.js`, false],
    ["decnet.js, cache shipped", `${dir}/decnet.js`, true],
  ];
  let n = 0;
  for (const [label, bundle, warmCache] of variants) {
    const version = `bench${n++}`;
    const { image } = await buildSensorImage(docker, {
      program: { kind: "bundle", runtime: Deno.execPath(), bundle },
      version,
      warmCache,
    });
    const id = await docker.createContainer({
      image,
      name: `sensor-bench-${version}`,
      cmd: ["--services", SERVICES.join(","), "--decky", "bench"],
      user: SENSOR_USER,
      networkMode: "none",
    });
    try {
      await docker.startContainer(id);
      let pid = 0;
      await waitUntil(async () => {
        pid = (await docker.inspectContainer(id))?.pid ?? 0;
        return pid > 0 && listening(pid) === SERVICES.length;
      }, { what: "every port listening", timeoutMs: 60_000 });
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      const rss = Number(status(pid, "VmRSS").split(" ")[0]) / 1024;
      console.log(
        `container, ${label.padEnd(38)} idle RSS ${rss.toFixed(1).padStart(6)} MiB  (${
          status(pid, "Threads")
        } threads)`,
      );
    } finally {
      await docker.removeContainer(id, { force: true });
    }
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
console.log(`load average at the end ${Deno.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
