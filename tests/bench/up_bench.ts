/**
 * `decnet up`: time from spawn to every worker healthy, and the idle RSS of
 * the whole process (all workers are threads of it). Target: at most 150 MB.
 * Measured from source (`deno run main.ts`) and from the built bundle.
 */
import { buildBundle, RUNTIME_FLAGS } from "../../tools/build_bundle.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const CONFIG = new URL("../../deno.json", import.meta.url).pathname;

async function measure(label: string, argv: string[]): Promise<void> {
  const cwd = await Deno.makeTempDir({ prefix: "up-bench-" });
  const started = performance.now();
  const child = new Deno.Command(argv[0], {
    args: [...argv.slice(1), "up"],
    cwd,
    env: { DECNET_API_PORT: "0", DECNET_CANARY_HTTP_PORT: "0", DECNET_CANARY_DNS_PORT: "0" },
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  let url: string | undefined;
  while (!url) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`up exited early:\n${text}`);
    text += value;
    url = /listening on (http:\/\/\S+)/.exec(text)?.[1];
  }
  const drain = (async () => {
    while (!(await reader.read()).done) { /* keep the pipe flowing */ }
  })();
  let healthyAt = 0;
  while (!healthyAt) {
    const res = await fetch(`${url}/api/v1/health`);
    if ((await res.json()).status === "ok") healthyAt = performance.now();
  }
  await new Promise((r) => setTimeout(r, 5000));
  const status = await Deno.readTextFile(`/proc/${child.pid}/status`);
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const threads = Number(/Threads:\s+(\d+)/.exec(status)?.[1] ?? 0);
  child.kill("SIGTERM");
  await child.status;
  await drain;
  await Deno.remove(cwd, { recursive: true });
  console.log(
    `${label.padEnd(28)} start-to-healthy ${
      (healthyAt - started).toFixed(0).padStart(5)
    } ms   idle RSS ${(rssKb / 1024).toFixed(1)} MB (4 workers, ${threads} threads)`,
  );
}

await measure("up from source", [
  Deno.execPath(),
  "run",
  "--quiet",
  ...RUNTIME_FLAGS,
  "--config",
  CONFIG,
  MAIN,
]);
const dir = await Deno.makeTempDir({ prefix: "up-bench-bundle-" });
await buildBundle(`${dir}/decnet.js`);
await measure("up from the bundle", [
  Deno.execPath(),
  "run",
  "--quiet",
  "--no-config",
  ...RUNTIME_FLAGS,
  `${dir}/decnet.js`,
]);
await Deno.remove(dir, { recursive: true });
