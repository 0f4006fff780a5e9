/**
 * Probes what each registered worker may and may not do: for every worker, a
 * Deno Worker built with the supervisor's exact permissions
 * (`workerPermissions(config, definition.needs(config), ...)`) tries each act
 * (read the JWT secret, open the database, write elsewhere in DECNET_HOME,
 * read /etc/shadow, connect to the API port, run a process, load a native
 * library, read DECNET_* variables; listen, reach Docker and the bus, write
 * its own paths) and reports which ones the sandbox let through.
 *
 * `deno run -A tools/worker_permission_table.ts --write` renders the result
 * into README.md; `--json` prints it. It sets up a scratch DECNET_HOME the way
 * `decnet up` does (JWT secret, migrated SQLite database, DECNET_* removed from
 * the environment), so the table does not depend on the machine it runs on.
 *
 * @module
 */
import { join, relative } from "node:path";
import type { Config } from "../core/config/mod.ts";
import {
  ensureJwtSecret,
  loadConfig,
  readProcessEnv,
  scrubProcessEnv,
} from "../core/config/mod.ts";
import { openMigratedDatabase, parseDbUrl } from "../core/db/mod.ts";
import { workerPermissions } from "../core/workers/mod.ts";
import type { WorkerRegistry } from "../core/workers/mod.ts";
import { buildWorkerRegistry } from "../cli/worker_registry.ts";
import { formatMarkdown } from "./config_reference.ts";
import type { ProbeAct, ProbeResult } from "./_worker_permission_probe.ts";

export const BEGIN_MARKER = "<!-- worker-permissions:begin -->";
export const END_MARKER = "<!-- worker-permissions:end -->";

const PROBE_URL = new URL("./_worker_permission_probe.ts", import.meta.url);
/** A DECNET_* variable holding a secret, set before the probe so that its absence means something. */
const SECRET_VARIABLE = "DECNET_ADMIN_PASSWORD";

/** The acts every worker tries, in table order, with the README's wording. */
export const PROBE_QUESTIONS = {
  jwtSecret: "Read `DECNET_HOME/jwt_secret`",
  database: "Open the SQLite database (users' password hashes)",
  homeWrite: "Write elsewhere in `DECNET_HOME`",
  shadow: "Read `/etc/shadow`",
  apiPort: "Connect to the API port",
  run: "Run a subprocess",
  ffi: "Load a native library (FFI)",
  env: "Read a `DECNET_*` variable",
  listen: "Listen on its own addresses",
  docker: "Reach the Docker socket",
  bus: "Reach the NATS bus",
  ownPaths: "Write its own paths (relative to `DECNET_HOME`)",
} as const;

/** One of {@linkcode PROBE_QUESTIONS}. */
export type ProbeQuestion = keyof typeof PROBE_QUESTIONS;

/**
 * What one worker may do: `true`/`false` per act, `null` where the act does
 * not apply (it declares no listener or no path of its own); `ownPaths` lists
 * the declared paths it was allowed to write (relative to DECNET_HOME when inside it).
 */
export interface WorkerProbe {
  worker: string;
  may: Record<ProbeQuestion, boolean | null>;
  ownPaths: string[];
}

/**
 * Runs one probe Worker per registered worker under the permissions the
 * supervisor would give it, and reports what each was allowed to do.
 *
 * @example
 * ```ts
 * import type { Config } from "../core/config/config.ts";
 * import { probeWorkerPermissions } from "./worker_permission_table.ts";
 * import { buildWorkerRegistry } from "../cli/worker_registry.ts";
 * declare const config: Config;
 * const probes = await probeWorkerPermissions(config, buildWorkerRegistry());
 * ```
 */
export async function probeWorkerPermissions(
  config: Config,
  registry: WorkerRegistry,
): Promise<WorkerProbe[]> {
  const probes: WorkerProbe[] = [];
  for (const definition of registry.list()) {
    const needs = definition.needs(config);
    const acts: Record<string, ProbeAct> = commonActs(config, definition.name);
    needs.listen.forEach((l, i) => acts[`listen${i}`] = { kind: "listen", hostname: l.hostname });
    const ownPaths = needs.write;
    ownPaths.forEach((path, i) => acts[`own${i}`] = { kind: "mayWrite", path });
    const permissions = workerPermissions(config, needs, { modulePath: PROBE_URL.pathname });
    const result = await runProbe(permissions, acts);
    const all = (prefix: string) => {
      const keys = Object.keys(result).filter((k) => k.startsWith(prefix));
      return keys.length ? keys.every((k) => result[k]) : null;
    };
    probes.push({
      worker: definition.name,
      may: {
        jwtSecret: result.jwtSecret,
        database: result.database,
        homeWrite: result.homeWrite,
        shadow: result.shadow,
        apiPort: result.apiPort,
        run: result.run,
        ffi: result.ffi,
        env: result.env,
        listen: all("listen"),
        docker: result.docker,
        bus: result.bus,
        ownPaths: all("own"),
      },
      ownPaths: ownPaths.filter((_, i) => result[`own${i}`]).map((p) =>
        p.startsWith(config.home + "/") ? relative(config.home, p) : p
      ),
    });
  }
  return probes;
}

function commonActs(config: Config, worker: string): Record<string, ProbeAct> {
  const db = parseDbUrl(config.dbUrl);
  if (db.engine !== "sqlite") throw new TypeError("Cannot probe: expected a SQLite DECNET_DB_URL");
  if (!config.busUrl) throw new TypeError("Cannot probe: expected a NATS DECNET_BUS_URL");
  const bus = new URL(config.busUrl);
  const apiHost = config.apiBind === "0.0.0.0" ? "127.0.0.1" : config.apiBind;
  return {
    jwtSecret: { kind: "read", path: join(config.home, "jwt_secret") },
    database: { kind: "sqlite", path: db.path },
    homeWrite: { kind: "write", path: join(config.home, `probe-${worker}.txt`) },
    shadow: { kind: "read", path: "/etc/shadow" },
    apiPort: { kind: "connect", hostname: apiHost, port: config.apiPort },
    run: { kind: "run" },
    ffi: { kind: "ffi" },
    env: { kind: "env", name: SECRET_VARIABLE },
    docker: { kind: "connectUnix", path: config.dockerHost.replace(/^unix:\/\//, "") },
    bus: { kind: "connect", hostname: bus.hostname, port: Number(bus.port || 4222) },
  };
}

function runProbe(
  permissions: ReturnType<typeof workerPermissions>,
  acts: Record<string, ProbeAct>,
): Promise<ProbeResult> {
  const worker = new Worker(PROBE_URL, {
    type: "module",
    name: "probe",
    deno: { permissions },
  } as WorkerOptions);
  return new Promise<ProbeResult>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<ProbeResult>) => resolve(e.data);
    worker.onerror = (e) => {
      e.preventDefault();
      reject(new Error(`Probe worker failed: ${e.message}`));
    };
    worker.postMessage(acts);
  }).finally(() => worker.terminate());
}

/** The README's Markdown table: one row per act, one column per worker. */
export function renderWorkerTable(probes: WorkerProbe[]): string {
  const cell = (probe: WorkerProbe, question: ProbeQuestion): string => {
    const may = probe.may[question];
    if (may === null) return "-";
    if (question === "ownPaths" && may) {
      return probe.ownPaths.map((p) => `\`${p}\``).join(", ");
    }
    return may ? "yes" : "no";
  };
  const rows = [
    `| May it ... | ${probes.map((p) => `\`${p.worker}\``).join(" | ")} |`,
    `| --- | ${probes.map(() => "---").join(" | ")} |`,
    ...(Object.keys(PROBE_QUESTIONS) as ProbeQuestion[]).map((q) =>
      `| ${PROBE_QUESTIONS[q]} | ${probes.map((p) => cell(p, q)).join(" | ")} |`
    ),
  ];
  return rows.join("\n");
}

/** README text with the table between the markers replaced. */
export function withWorkerTable(readme: string, table: string): string {
  const start = readme.indexOf(BEGIN_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start < 0 || end < start) throw new SyntaxError("README has no worker-permissions markers");
  return readme.slice(0, start + BEGIN_MARKER.length) + "\n" + table + "\n" + readme.slice(end);
}

/**
 * Sets up a scratch DECNET_HOME as `decnet up` would (config from the
 * environment, JWT secret, migrated database, DECNET_* removed) and probes
 * every registered worker there. Mutates this process's environment: run it
 * in a process of its own.
 */
export async function probeScratchHome(): Promise<WorkerProbe[]> {
  const home = await Deno.makeTempDir({ prefix: "decnet-probe-" });
  try {
    Deno.env.set("DECNET_HOME", home);
    Deno.env.set("DECNET_BUS_URL", "nats://127.0.0.1:4222");
    Deno.env.set(SECRET_VARIABLE, "probe-admin-password");
    const config = loadConfig(readProcessEnv(), { envFile: undefined, cwd: home });
    scrubProcessEnv();
    await ensureJwtSecret(config);
    await (await openMigratedDatabase(config.dbUrl)).close();
    return await probeWorkerPermissions(config, buildWorkerRegistry());
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

if (import.meta.main) {
  const probes = await probeScratchHome();
  if (Deno.args.includes("--json")) console.log(JSON.stringify(probes));
  else if (Deno.args.includes("--write")) {
    const path = new URL("../README.md", import.meta.url);
    const readme = await Deno.readTextFile(path);
    await Deno.writeTextFile(
      path,
      await formatMarkdown(withWorkerTable(readme, renderWorkerTable(probes))),
    );
  } else console.log(renderWorkerTable(probes));
}
