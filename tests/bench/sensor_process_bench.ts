// The sensor process as its container runs it (bundle, exact flags: sandboxed by them, it serves
// in-process, see run_sensor.ts), on the host: idle RSS with the test line service, and
// connections per second through it (loopback).
// Run: deno run --allow-all tests/bench/sensor_process_bench.ts
import { buildBundle } from "../../tools/build_bundle.ts";
import { freePort } from "../infra/free_port.ts";
import { waitUntil } from "../infra/wait_until.ts";

const dir = await Deno.makeTempDir({ prefix: "sensor-bench-" });
const bundle = `${dir}/netd.js`;
await buildBundle(bundle, new URL("../integration/_sensor_test_main.ts", import.meta.url).pathname);
const port = freePort();
const child = new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "--quiet",
    "--no-prompt",
    "--no-config",
    "--no-lock",
    "--unstable-worker-options",
    `--allow-net=0.0.0.0:${port}`,
    `--allow-read=${bundle}`,
    bundle,
    "sensor",
    "--services",
    "telnet",
    "--decky",
    "bench",
    "--config",
    JSON.stringify({ telnet: { port } }),
  ],
  stdout: "null",
  stderr: "inherit",
}).spawn();
try {
  await waitUntil(async () => {
    const c = await Deno.connect({ port }).catch(() => undefined);
    c?.close();
    return c !== undefined;
  }, { what: "the sensor", timeoutMs: 20_000 });
  const rss = () => {
    const status = Deno.readTextFileSync(`/proc/${child.pid}/status`);
    return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
  };
  console.log(`sensor idle RSS (1 service, Worker)      ${rss().toFixed(1)} MiB`);
  const n = 2000;
  const buffer = new Uint8Array(64);
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const conn = await Deno.connect({ port });
    await conn.read(buffer); // the greeting
    conn.close();
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`sensor connect+greeting, sequential       n=${n}  ${(n / seconds).toFixed(0)}/s`);
  console.log(`sensor RSS after ${n} connections          ${rss().toFixed(1)} MiB`);
} finally {
  child.kill("SIGTERM");
  await child.status;
  await Deno.remove(dir, { recursive: true });
}
