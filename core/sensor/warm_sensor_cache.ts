import { DatabaseSync } from "node:sqlite";
import { SENSOR_SERVICES } from "./sensor_event.ts";
import { SENSOR_CACHE_FILES, SENSOR_PROGRAM_PATH, sensorRuntimeArgs } from "./sensor_image.ts";

/** Options for {@linkcode warmSensorCache}. */
export interface WarmSensorCacheOptions {
  /** The runtime that will run the bundle in the image (the same build: caches are per version). */
  runtime: string;
  /** The bundle on this host. */
  bundle: string;
  /** Empty host folder to fill: the cache files ({@linkcode SENSOR_CACHE_FILES}). */
  cacheDir: string;
  /** @default 60000 */
  timeoutMs?: number;
}

/** The sensor command's exit status for bad arguments (the CLI's usage error). */
const EXIT_USAGE = 2;

/**
 * Fills a runtime cache (DENO_DIR) for the sensor image, so a sensor
 * container starts warm: it runs the bundle once on this host with every
 * service on loopback ports, stops it once the last one listens and the
 * runtime has stored the bundle's code cache (written from the event loop,
 * so a sensor stopped the moment it listens can leave it empty), then
 * re-keys the entries from the host path to the bundle's path in the image
 * ({@linkcode SENSOR_PROGRAM_PATH}: the runtime keys its module analysis and
 * code cache by module URL and source hash) and folds each database into one
 * file. A cold start analyses the bundle afresh and keeps ~15 MiB more RSS.
 * A program that refuses some of the services (exit 2) has loaded by then:
 * its cache is kept as it stands.
 *
 * @param options Runtime, bundle, the folder to fill, time limit.
 * @throws {Error} when this process may not start the runtime, or the sensor
 * does not listen in time or exits first otherwise than refusing a service
 * @example
 * ```ts
 * const cacheDir = await Deno.makeTempDir();
 * await warmSensorCache({ runtime: Deno.execPath(), bundle: "/opt/x/dist/decnet-sensor.js", cacheDir });
 * ```
 */
export async function warmSensorCache(options: WarmSensorCacheOptions): Promise<void> {
  const may = Deno.permissions.querySync({ name: "run", command: options.runtime }).state;
  if (may !== "granted") {
    throw new Error(
      `Cannot warm sensor cache: runtime ${options.runtime} expected in --allow-run (./decnet grants it)`,
    );
  }
  const config: Record<string, { port: number }> = {};
  for (const service of SENSOR_SERVICES) config[service] = { port: freeLoopbackPort() };
  const last = config[SENSOR_SERVICES[SENSOR_SERVICES.length - 1]].port;
  const child = new Deno.Command(options.runtime, {
    args: [
      ...sensorRuntimeArgs(options.bundle),
      "sensor",
      "--services",
      SENSOR_SERVICES.join(","),
      "--decky",
      "warm",
      "--config",
      JSON.stringify(config),
    ],
    cwd: options.cacheDir,
    env: { DENO_DIR: options.cacheDir, DENO_NO_UPDATE_CHECK: "1" },
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  let exited: Deno.CommandStatus | undefined;
  child.status.then((s) => exited = s);
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const from = new URL(`file://${options.bundle}`).href;
  try {
    // Polled: the sensor prints nothing until a client connects.
    while (!(await accepts(last)) || !hasCodeCache(options.cacheDir, from)) {
      // A program that knows fewer services (a test's) refuses the list after loading,
      // which is what fills the cache: keep it.
      if (exited?.code === EXIT_USAGE) break;
      if (exited) {
        throw new Error(
          `Cannot warm sensor cache: ${options.bundle} exited with ${exited.code}: ${await stderr}`,
        );
      }
      if (Date.now() > deadline) {
        throw new Error(
          `Cannot warm sensor cache: ${options.bundle} did not listen on ${last} and store its code cache`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    if (!exited) child.kill("SIGTERM");
    await child.status;
    await stderr;
  }
  const to = new URL(`file://${SENSOR_PROGRAM_PATH}`).href;
  const tables: Record<(typeof SENSOR_CACHE_FILES)[number], string> = {
    dep_analysis_cache_v2: "moduleinfocache",
    node_analysis_cache_v2: "cjsanalysiscache",
    v8_code_cache_v2: "codecache",
  };
  for (const name of SENSOR_CACHE_FILES) {
    const db = new DatabaseSync(`${options.cacheDir}/${name}`);
    try {
      db.prepare(`UPDATE ${tables[name]} SET specifier = ? WHERE specifier = ?`).run(to, from);
      db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      db.exec("PRAGMA journal_mode = DELETE");
    } finally {
      db.close();
    }
  }
}

function freeLoopbackPort(): number {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  return listener.addr.port;
}

/** Whether the runtime has committed the code cache of `specifier` (a busy or absent database is not yet). */
function hasCodeCache(cacheDir: string, specifier: string): boolean {
  try {
    const db = new DatabaseSync(`${cacheDir}/v8_code_cache_v2`, { readOnly: true });
    try {
      return db.prepare("SELECT 1 FROM codecache WHERE specifier = ?").get(specifier) !== undefined;
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}

async function accepts(port: number): Promise<boolean> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port }).catch(() => undefined);
  conn?.close();
  return conn !== undefined;
}
