// `decnet sensor` serves in a Worker when its process may do more than a sensor needs (a host
// shell, --allow-all), and in-process when its own flags sandbox it (the sensor image's
// entrypoint): then a Worker would only add a second isolate. Which one ran shows in the
// process's threads (Deno names a Worker's thread "worker-N").
import assert from "node:assert/strict";
import { buildSensorBundle } from "../../tools/build_bundle.ts";
import { freePort } from "../infra/free_port.ts";
import { waitUntil } from "../infra/wait_until.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const MAIN = `${ROOT}main.ts`;
const CONFIG = `${ROOT}deno.json`;
/** The sensor image's network flag (sensor_image.ts), with this checkout readable. */
const SANDBOX = ["--allow-net=0.0.0.0,127.0.0.1,[::1]", `--allow-read=${ROOT}`];

const FROM_SOURCE = ["--config", CONFIG];

function sensor(
  flags: string[],
  config: Record<string, unknown>,
  services: string,
  program = [...FROM_SOURCE, MAIN],
) {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--no-prompt",
      ...flags,
      ...program,
      "sensor",
      "--services",
      services,
      "--decky",
      "ws-01",
      "--config",
      JSON.stringify(config),
    ],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  });
}

function workerThreads(pid: number): number {
  return [...Deno.readDirSync(`/proc/${pid}/task`)]
    .map((t) => Deno.readTextFileSync(`/proc/${pid}/task/${t.name}/comm`).trim())
    .filter((name) => name.startsWith("worker-")).length;
}

async function greeting(port: number): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const buffer = new Uint8Array(256);
    const n = await conn.read(buffer);
    return new TextDecoder().decode(buffer.subarray(0, n ?? 0));
  } finally {
    conn.close();
  }
}

async function servesFtp(flags: string[], program?: string[]): Promise<number> {
  const port = freePort();
  const child = sensor(flags, { ftp: { port } }, "ftp", program).spawn();
  try {
    await waitUntil(async () => {
      const c = await Deno.connect({ hostname: "127.0.0.1", port }).catch(() => undefined);
      c?.close();
      return c !== undefined;
    }, { what: "the sensor listening", timeoutMs: 60_000 });
    assert.match(await greeting(port), /^220 /);
    return workerThreads(child.pid);
  } finally {
    child.kill("SIGTERM");
    const { code, stderr } = await child.output();
    assert.equal(code, 0, new TextDecoder().decode(stderr));
  }
}

Deno.test("decnet sensor serves in a Worker when its process holds --allow-all", async () => {
  assert.equal(await servesFtp(["--allow-all"]), 1);
});

Deno.test("decnet sensor serves in-process when its own flags sandbox it", async () => {
  assert.equal(await servesFtp(SANDBOX), 0);
});

Deno.test("decnet sensor refuses at start an upstream its flags do not reach, naming it", async () => {
  const port = freePort();
  const { code, stderr } = await sensor(
    SANDBOX,
    { ssh: { port, upstream: "192.0.2.10:22" } },
    "ssh",
  ).output();
  assert.equal(code, 1);
  assert.match(new TextDecoder().decode(stderr), /net access to 192\.0\.2\.10:22 is not granted/);
});

Deno.test("the sensor's own bundle serves alone, in-process, with the image's flags", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sensor-bundle-" });
  try {
    const bundle = await buildSensorBundle(dir);
    const flags = ["--no-config", "--no-lock", "--allow-net=0.0.0.0,127.0.0.1,[::1]"];
    assert.equal(await servesFtp([...flags, `--allow-read=${bundle}`], [bundle]), 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("decnet sensor --help is the full CLI's, listing sensor image", async () => {
  const { code, stdout } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--allow-all", "--config", CONFIG, MAIN, "sensor", "--help"],
    stdout: "piped",
    stderr: "null",
  }).output();
  assert.equal(code, 0);
  assert.match(new TextDecoder().decode(stdout), /^\s+image \[options\]/m);
});
