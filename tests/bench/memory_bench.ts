/**
 * Idle memory of decnet's processes (#20, #15): the RSS of `decnet up` with
 * one worker, the four of the issue's target (api, canary, orchestrator,
 * reconciler) and all seven, from source and from the built bundle; each
 * worker's own V8 heap as its heartbeat reports it; the split bundle
 * `deno task build` ships and the single-file one, cold and warm; `decnet
 * sensor` with every protocol on (Worker and in-process, source and its own
 * bundle); and the bare runtime as a baseline. The sensor in its container:
 * sensor_container_memory_bench.ts.
 * Targets (issue #20): four workers <= 150 MB idle, each further one <= 25 MB;
 * issue #15: sensor <= 60 MB. Printed, never asserted.
 *
 * Run: deno run --allow-all tests/bench/memory_bench.ts [settle seconds, default 15]
 */
import {
  buildBundle,
  buildSensorBundle,
  buildSplitBundle,
  RUNTIME_FLAGS,
} from "../../tools/build_bundle.ts";
import { freePort } from "../infra/free_port.ts";
import { waitUntil } from "../infra/wait_until.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const CONFIG = new URL("../../deno.json", import.meta.url).pathname;
const SETTLE_MS = Number(Deno.args[0] ?? 15) * 1000;
const FOUR = "api,canary,orchestrator,reconciler";
const SENSOR_SERVICES = ["ssh", "imap", "pop3", "smb", "http", "mysql", "rdp", "ftp", "telnet"];

interface Measured {
  rssMiB: number;
  /** Each worker's V8 heap (used/total MiB), from its last heartbeat; only when the API runs. */
  heaps: Record<string, string>;
}

function rssMiB(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

/** Spawns `argv`, waits for `ready` in its output, idles SETTLE_MS, reads the RSS (and heaps). */
async function idle(argv: string[], ready: RegExp, env: Record<string, string> = {}) {
  const cwd = await Deno.makeTempDir({ prefix: "memory-bench-" });
  const child = new Deno.Command(argv[0], {
    args: argv.slice(1),
    cwd,
    env: {
      DECNET_API_PORT: "0",
      DECNET_CANARY_HTTP_PORT: "0",
      DECNET_CANARY_DNS_PORT: "0",
      ...env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const out = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const err = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  // Both pipes are read all along: the ready line may come on either (logs go to stderr).
  let exited = false;
  const drainErr = (async () => {
    for (let r = await err.read(); !r.done; r = await err.read()) text += r.value;
  })();
  const drain = (async () => {
    for (let r = await out.read(); !r.done; r = await out.read()) text += r.value;
    exited = true;
  })();
  try {
    await waitUntil(() => exited || ready.test(text), { what: "ready", timeoutMs: 120_000 });
    if (!ready.test(text)) throw new Error(`exited before ready:\n${text}`);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const measured: Measured = { rssMiB: rssMiB(child.pid), heaps: {} };
    const url = /listening on (http:\/\/\S+)/.exec(text)?.[1];
    if (url) {
      const health = await (await fetch(`${url}/api/v1/health`)).json() as {
        workers: { name: string; extras?: Record<string, number> }[];
      };
      for (const w of health.workers) {
        const d = w.extras ?? {};
        if (d.heap_used_bytes === undefined) continue;
        measured.heaps[w.name] = `${(d.heap_used_bytes / 2 ** 20).toFixed(1)}/${
          (d.heap_total_bytes / 2 ** 20).toFixed(1)
        }`;
      }
    }
    child.kill("SIGTERM");
    await child.status;
    await drain;
    return measured;
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* already exited */ }
    await child.status;
    await drainErr;
    await Deno.remove(cwd, { recursive: true });
  }
}

function print(label: string, m: Measured): void {
  const heaps = Object.entries(m.heaps).map(([w, h]) => `${w} ${h}`).join(", ");
  console.log(
    `${label.padEnd(44)} ${m.rssMiB.toFixed(1).padStart(6)} MiB${
      heaps ? `   heap used/total MiB: ${heaps}` : ""
    }`,
  );
}

const WORKERS = ["canary", "collector", "orchestrator", "reconciler", "clusterer", "alerts"];

/** `up` with `sets` of workers (undefined: all seven); env e.g. a DENO_DIR. */
async function upRuns(
  label: string,
  command: string[],
  sets: (string | undefined)[],
  env: Record<string, string> = {},
): Promise<void> {
  for (const only of sets) {
    const args = only ? ["up", "--only", only] : ["up"];
    print(
      `${label} up ${only ? `--only ${only}` : "(all 7)"}`,
      await idle([...command, ...args], / running mode=/, env),
    );
  }
}

async function sensorRun(
  label: string,
  command: string[],
  env: Record<string, string> = {},
): Promise<void> {
  const config: Record<string, { port: number }> = {};
  for (const s of SENSOR_SERVICES) config[s] = { port: freePort() };
  const argv = [
    ...command,
    "sensor",
    "--services",
    SENSOR_SERVICES.join(","),
    "--decky",
    "bench",
    "--config",
    JSON.stringify(config),
  ];
  // The sensor prints nothing until an event: ready once its last port accepts.
  const port = config.telnet.port;
  const cwd = await Deno.makeTempDir({ prefix: "memory-bench-sensor-" });
  const child = new Deno.Command(argv[0], {
    args: argv.slice(1),
    cwd,
    env,
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    await waitUntil(async () => {
      const c = await Deno.connect({ port }).catch(() => undefined);
      c?.close();
      return c !== undefined;
    }, { what: "the sensor", timeoutMs: 60_000 });
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    print(`${label} sensor (${SENSOR_SERVICES.length} services)`, {
      rssMiB: rssMiB(child.pid),
      heaps: {},
    });
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await Deno.remove(cwd, { recursive: true });
  }
}

async function baselines(): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "memory-bench-bare-" });
  const script = `${dir}/bare.ts`;
  await Deno.writeTextFile(
    script,
    `if ((globalThis as { name?: string }).name === "w") { setInterval(() => {}, 1e9); }
else {
  if (Deno.args[0] === "worker") new Worker(import.meta.url, { type: "module", name: "w" });
  console.log("ready");
  setInterval(() => {}, 1e9);
}`,
  );
  const bare = [Deno.execPath(), "run", "--quiet", "--no-config", "-A", script];
  print("bare deno", await idle(bare, /ready/));
  print("bare deno + 1 empty Worker", await idle([...bare, "worker"], /ready/));
  await Deno.remove(dir, { recursive: true });
}

const loadavg = () => Deno.loadavg().map((l) => l.toFixed(2)).join(" ");
console.log(`${new Date().toISOString()}  load average ${loadavg()}  settle ${SETTLE_MS / 1000} s`);
await baselines();
const source = [Deno.execPath(), "run", "--quiet", ...RUNTIME_FLAGS, "--config", CONFIG, MAIN];
await upRuns("source", source, ["api", FOUR, undefined, ...WORKERS]);
await sensorRun("source, Worker (host flags)", source);
// The sensor image's flags (sensor_image.ts): sandboxed by them, the sensor serves in-process.
const imageFlags = ["--no-prompt", "--allow-net=0.0.0.0,127.0.0.1,[::1]"];
await sensorRun("source, in-process (image flags)", [
  Deno.execPath(),
  "run",
  "--quiet",
  ...imageFlags,
  `--allow-read=${new URL("../../", import.meta.url).pathname}`,
  "--config",
  CONFIG,
  MAIN,
]);
const dir = await Deno.makeTempDir({ prefix: "memory-bench-bundle-" });
try {
  // A fresh DENO_DIR per program: its first run is cold (no cached module analysis or code
  // cache), as a service's first start after an install or upgrade, or every sensor container.
  const run = ["run", "--quiet", "--no-config", ...RUNTIME_FLAGS];
  await buildSplitBundle(`${dir}/split/decnet.js`);
  await buildBundle(`${dir}/single/decnet.js`);
  // Cold but with the module analysis done beforehand by `deno cache`: what a cold start costs
  // is that analysis (outside the V8 heaps, and not given back), not the code cache.
  const cached = { DENO_DIR: `${dir}/split-cached-cache` };
  await new Deno.Command(Deno.execPath(), {
    args: ["cache", "--quiet", "--no-config", `${dir}/split/decnet.js`],
    env: cached,
  }).output();
  await upRuns(
    "bundle split, after deno cache",
    [
      Deno.execPath(),
      ...run,
      `${dir}/split/decnet.js`,
    ],
    [FOUR],
    cached,
  );
  for (const kind of ["split", "single"]) {
    const env = { DENO_DIR: `${dir}/${kind}-cache` };
    const bundle = [Deno.execPath(), ...run, `${dir}/${kind}/decnet.js`];
    await upRuns(`bundle ${kind}, cold`, bundle, [FOUR], env);
    await upRuns(
      `bundle ${kind}, warm`,
      bundle,
      kind === "split" ? ["api", FOUR, undefined] : [
        FOUR,
        undefined,
      ],
      env,
    );
  }
  const sensorBundle = await buildSensorBundle(dir);
  const sensor = [
    Deno.execPath(),
    "run",
    "--quiet",
    "--no-config",
    "--no-lock",
    ...imageFlags,
    `--allow-read=${sensorBundle}`,
    sensorBundle,
  ];
  const env = { DENO_DIR: `${dir}/sensor-cache` };
  await sensorRun("decnet-sensor.js in-process, cold", sensor, env);
  await sensorRun("decnet-sensor.js in-process, warm", sensor, env);
} finally {
  await Deno.remove(dir, { recursive: true });
}
console.log(`load average at the end ${loadavg()}`);
