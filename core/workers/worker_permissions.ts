import type { Config } from "../config/mod.ts";
import { parseDbUrl } from "../db/mod.ts";
import type { WorkerNeeds } from "./worker_definition.ts";

/**
 * Environment variables npm dependencies read on their own (stream and debug
 * knobs). Workers may read these and nothing else: the configuration, secrets
 * included, reaches them as a value.
 */
export const LIBRARY_ENV_VARIABLES: readonly string[] = Object.freeze([
  "READABLE_STREAM",
  "NODE_DEBUG",
  "TZ",
  "SSH_AUTH_SOCK",
  "CI_CHECK_FAIL",
]);

/** The database file and the journals SQLite creates beside it (WAL, shared memory, rollback). */
const SQLITE_FILE_SUFFIXES = ["", "-wal", "-shm", "-journal"];

/** Deno's permission object for a Worker (the `deno.permissions` option). */
export interface WorkerPermissions {
  env: string[];
  net: string[] | boolean;
  read: string[];
  write: string[] | false;
  run: false;
  ffi: false;
  sys: string[] | false;
  import: false;
}

/** Options for {@linkcode workerPermissions}. */
export interface WorkerPermissionsOptions {
  /** The module file the worker runs (it must be able to read itself). */
  modulePath: string | null;
  /**
   * decnet's own code, read-only: where the modules the worker imports lazily
   * lie (loaded when imported, so checked then). @default []
   */
  codePaths?: string[];
}

/**
 * The least permissions that satisfy `needs`: no environment beyond
 * {@linkcode LIBRARY_ENV_VARIABLES} (config is passed in), no subprocesses,
 * no FFI; network only to the addresses it listens on or connects to, its
 * database server and the NATS bus (any address for a listener that
 * answers any peer over UDP); files only under the paths it names
 * (and the SQLite database's own files). The Docker socket is reachable
 * only by workers that declare `docker`.
 *
 * @example
 * ```ts
 * import type { Config } from "../config/config.ts";
 * import { workerPermissions } from "./worker_permissions.ts";
 * import { canaryWorker } from "../../canary/canary_worker.ts";
 * declare const config: Config;
 * const url = new URL("./canary_entry.ts", import.meta.url);
 * const permissions = workerPermissions(config, canaryWorker.needs(config), { modulePath: url.pathname });
 * new Worker(url, { type: "module", deno: { permissions } } as WorkerOptions);
 * ```
 */
export function workerPermissions(
  config: Config,
  needs: WorkerNeeds,
  options: WorkerPermissionsOptions,
): WorkerPermissions {
  const net = new Set<string>();
  const read = new Set<string>();
  const write = new Set<string>();
  if (options.modulePath) read.add(options.modulePath);
  for (const p of options.codePaths ?? []) read.add(p);
  for (const l of needs.listen) net.add(netHost(l.hostname));
  // A UDP reply to an arbitrary peer is checked as net access to that peer: nothing narrower exists.
  const anyPeer = needs.listen.some((l) => l.anyPeer);
  for (const host of needs.connect) net.add(host);
  for (const p of needs.read) read.add(p);
  for (const p of needs.write) {
    read.add(p);
    write.add(p);
  }
  if (needs.database) {
    const target = parseDbUrl(config.dbUrl);
    if (target.engine === "sqlite") {
      // The database file and the journal files SQLite keeps beside it, not their folder: that is
      // DECNET_HOME by default, which also holds the JWT secret.
      if (target.path !== ":memory:") {
        for (const suffix of SQLITE_FILE_SUFFIXES) {
          read.add(target.path + suffix);
          write.add(target.path + suffix);
        }
      }
    } else {
      net.add(`${target.host}:${target.port}`);
    }
  }
  // Every worker heartbeats over the bus; under NATS each connects to it on its own.
  if (config.busUrl) net.add(busAddress(config.busUrl));
  if (needs.docker) {
    const docker = config.dockerHost;
    if (docker.startsWith("unix://")) {
      const socket = docker.slice("unix://".length);
      read.add(socket);
      write.add(socket);
      // Deno.connect to a unix socket checks read and write on its path and net "unix:<path>".
      net.add(`unix:${socket}`);
    } else {
      net.add(docker.replace(/^tcp:\/\//, "").replace(/\/$/, ""));
    }
  }
  return {
    // `decnet up` also removes DECNET_* (secrets included) from the process environment before
    // any worker starts.
    env: [...LIBRARY_ENV_VARIABLES],
    net: anyPeer ? true : net.size ? [...net] : false,
    read: [...read],
    write: write.size ? [...write] : false,
    run: false,
    ffi: false,
    // Node's os/net shims ask for these; no other system information is exposed.
    sys: ["hostname", "networkInterfaces", "osRelease", "cpus", "uid", "gid"],
    import: false,
  };
}

function netHost(hostname: string): string {
  if (hostname === "0.0.0.0" || hostname === "::") return hostname;
  return hostname.includes(":") ? `[${hostname}]` : hostname;
}

/** host:port of a nats:// or tls:// bus URL (credentials dropped; NATS' default port 4222). */
function busAddress(busUrl: string): string {
  const url = new URL(busUrl);
  return `${url.hostname}:${url.port || "4222"}`;
}
