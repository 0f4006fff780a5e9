import type { TarEntry } from "../docker/mod.ts";

/**
 * Repository of the sensor image; its tag is decnet's version. Neutral on
 * purpose: the host's image list is the only place it shows.
 */
export const SENSOR_IMAGE_REPO = "local/netd";
/**
 * Whether a recorded service image is the sensor's: such a service has no
 * `<decky>-<service>` container (and the sensor has no shell), so whatever
 * writes files for it targets the decky's base container.
 *
 * @example
 * ```ts
 * isSensorImage("local/netd:0.1.0"); // true
 * ```
 */
export function isSensorImage(image: string | undefined): boolean {
  return image?.startsWith(`${SENSOR_IMAGE_REPO}:`) ?? false;
}

/** The runtime (or the compiled program) inside the image. */
export const SENSOR_RUNTIME_PATH = "/usr/sbin/netd";
/**
 * The sensor program's bundle on the host, beside decnet's own bundle
 * (`deno task build` makes both); the image holds it as {@linkcode SENSOR_PROGRAM_PATH}.
 */
export const SENSOR_BUNDLE_FILE = "decnet-sensor.js";
/** The bundled program inside the image (runtime mode). */
export const SENSOR_PROGRAM_PATH = "/usr/lib/netd/netd.js";
/** Where the decky's mail volume is mounted, read-only, in the sensor. */
export const SENSOR_MAIL_SPOOL = "/var/mail";
/** Directory of read-only files the deploy mounts into the sensor (relay key). */
export const SENSOR_SECRETS_DIR = "/etc/netd";
/**
 * Folder the control plane writes requests into through the Docker API
 * (`kill-<session>`); the sensor only reads it.
 */
export const SENSOR_CONTROL_DIR = "/run/netd";
/** Where the sensor may listen and connect: any port of the decky, and its loopback. */
const SENSOR_NET = ["0.0.0.0", "127.0.0.1", "[::1]"];
/** nobody, group mail: may read mailboxes (0660 user:mail) and nothing of root's. */
export const SENSOR_USER = "65534:8";
/**
 * The runtime's cache folder (DENO_DIR) in the image, shipped warm
 * (`warmSensorCache()`): without it every container start analyses the
 * program afresh, which costs ~15 MiB of RSS that is never given back.
 * Owned by the sensor's user, since the runtime opens its caches for writing.
 */
export const SENSOR_CACHE_DIR = "/var/cache/netd";
/** The runtime's cache files {@linkcode SENSOR_CACHE_DIR} holds (their own names). */
export const SENSOR_CACHE_FILES = [
  "dep_analysis_cache_v2",
  "node_analysis_cache_v2",
  "v8_code_cache_v2",
] as const;

/** What the image runs: a Deno runtime with a bundle, or a compiled program. */
export type SensorProgram =
  | { kind: "bundle"; runtime: string; bundle: string }
  | { kind: "compiled"; binary: string };

/** Options for {@linkcode sensorImageEntries}. */
export interface SensorImageEntriesOptions {
  /** Host shared libraries the runtime loads (absolute paths). */
  libraries: readonly string[];
  /** The runtime's ELF interpreter (`/lib64/ld-linux-x86-64.so.2`). */
  interpreter: string;
  /** Size of a host file. */
  size: (path: string) => number;
  /** Resolves a host path's symlinks (the image holds files, not links). */
  realPath: (path: string) => string;
  /** Host folder holding a warm runtime cache ({@linkcode SENSOR_CACHE_FILES}) for the bundle. */
  cacheDir?: string;
}

/**
 * The files of the sensor image, `FROM scratch`: the runtime binary and
 * program, the shared libraries at the paths the loader searches, and the
 * empty directories a process expects. Nothing is named after the product.
 *
 * @param program The runtime and bundle, or the compiled program.
 * @param options Libraries, interpreter and host file lookups.
 * @returns Tar entries, parents first.
 * @example
 * ```ts
 * sensorImageEntries({ kind: "compiled", binary: "/usr/local/bin/x" }, {
 *   libraries: ["/lib/x86_64-linux-gnu/libc.so.6"], interpreter: "/lib64/ld-linux-x86-64.so.2",
 *   size: (p) => Deno.statSync(p).size, realPath: Deno.realPathSync,
 * }).map((e) => e.path);
 * ```
 */
export function sensorImageEntries(
  program: SensorProgram,
  options: SensorImageEntriesOptions,
): TarEntry[] {
  const files = new Map<string, { source: string; mode: number }>();
  if (program.kind === "bundle") {
    files.set(SENSOR_RUNTIME_PATH, { source: program.runtime, mode: 0o755 });
    files.set(SENSOR_PROGRAM_PATH, { source: program.bundle, mode: 0o644 });
  } else {
    files.set(SENSOR_RUNTIME_PATH, { source: program.binary, mode: 0o755 });
  }
  for (const lib of [...options.libraries, options.interpreter]) {
    files.set(lib, { source: lib, mode: 0o755 });
  }
  const [uid, gid] = SENSOR_USER.split(":").map(Number);
  const cache = program.kind === "bundle" && options.cacheDir
    ? SENSOR_CACHE_FILES.map((name): TarEntry => {
      const source = `${options.cacheDir}/${name}`;
      return {
        type: "file",
        path: `${SENSOR_CACHE_DIR.slice(1)}/${name}`,
        mode: 0o644,
        source,
        size: options.size(source),
        uid,
        gid,
      };
    })
    : [];
  const dirs = new Set<string>([
    "tmp",
    "etc",
    "var",
    "run",
    SENSOR_MAIL_SPOOL.slice(1),
    SENSOR_CONTROL_DIR.slice(1),
  ]);
  for (const path of files.keys()) {
    const parts = path.slice(1).split("/");
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join("/"));
  }
  if (program.kind === "bundle") {
    dirs.add(SENSOR_CACHE_DIR.slice(1).split("/").slice(0, -1).join("/"));
  }
  const dirEntries = [...dirs].sort().map((path): TarEntry => ({
    type: "dir",
    path,
    mode: path === "tmp" ? 0o1777 : 0o755,
  }));
  if (program.kind === "bundle") {
    // Writable by the sensor even when shipped empty: the runtime keeps its caches there.
    dirEntries.push({ type: "dir", path: SENSOR_CACHE_DIR.slice(1), mode: 0o755, uid, gid });
  }
  const fileEntries = [...files].sort().map(([path, { source, mode }]): TarEntry => {
    const real = options.realPath(source);
    return { type: "file", path: path.slice(1), mode, source: real, size: options.size(real) };
  });
  return [...dirEntries, ...fileEntries, ...cache];
}

/**
 * Dockerfile instructions applied on import: the entrypoint starts the
 * sensor command with flags that let it listen, connect to the decky's
 * loopback (an `upstream` elsewhere is refused at start) and read its
 * program, the mail spool, its secrets and control folder, as nobody:mail.
 * The compiled program's permissions are fixed at compile time: it narrows
 * itself to a Worker instead.
 *
 * @param program Which kind of program the image holds.
 * @returns `ENTRYPOINT`, `ENV`, `USER` and `WORKDIR` lines.
 * @example
 * ```ts
 * sensorImageChanges({ kind: "compiled", binary: "/x" })[0]; // 'ENTRYPOINT ["/usr/sbin/netd","sensor"]'
 * ```
 */
export function sensorImageChanges(program: SensorProgram): string[] {
  const entrypoint = program.kind === "compiled"
    ? [SENSOR_RUNTIME_PATH, "sensor"]
    : [SENSOR_RUNTIME_PATH, ...sensorRuntimeArgs(SENSOR_PROGRAM_PATH), "sensor"];
  return [
    `ENTRYPOINT ${JSON.stringify(entrypoint)}`,
    ...(program.kind === "bundle"
      ? ["ENV DENO_NO_UPDATE_CHECK=1", `ENV DENO_DIR=${SENSOR_CACHE_DIR}`]
      : []),
    `USER ${SENSOR_USER}`,
    "WORKDIR /",
  ];
}

/**
 * The runtime's arguments up to the sensor command for a bundle at
 * `bundle`: the image's entrypoint, and the run that warms its cache.
 *
 * @example
 * ```ts
 * sensorRuntimeArgs("/usr/lib/netd/netd.js").at(-1); // "/usr/lib/netd/netd.js"
 * ```
 */
export function sensorRuntimeArgs(bundle: string): string[] {
  return [
    "run",
    "--quiet",
    "--no-prompt",
    "--no-config",
    "--no-lock",
    "--unstable-worker-options",
    // Listening on any port, connecting only within the decky (its loopback: the ssh relay's
    // sshd), so the process is sandboxed by its own flags and serves in-process, without a
    // Worker's second isolate (run_sensor.ts).
    `--allow-net=${SENSOR_NET.join(",")}`,
    `--allow-read=${[bundle, SENSOR_MAIL_SPOOL, SENSOR_SECRETS_DIR, SENSOR_CONTROL_DIR].join(",")}`,
    bundle,
  ];
}
