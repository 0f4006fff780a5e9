import type { DockerClient } from "../docker/mod.ts";
import { tarStream } from "../docker/mod.ts";
import {
  SENSOR_BUNDLE_FILE,
  SENSOR_IMAGE_REPO,
  sensorImageChanges,
  sensorImageEntries,
  type SensorProgram,
} from "./sensor_image.ts";
import { warmSensorCache } from "./warm_sensor_cache.ts";

/** Options for {@linkcode buildSensorImage}. */
export interface BuildSensorImageOptions {
  /** What goes in: see {@linkcode sensorProgramOf}. */
  program: SensorProgram;
  /** The image tag: decnet's version. */
  version: string;
  /** @default 300000 (the runtime is ~100 MB) */
  timeoutMs?: number;
  /**
   * Ship the runtime's cache warm ({@linkcode warmSensorCache}: the bundle runs
   * once on this host, on loopback); false ships it empty, so every container
   * starts cold. @default whether this process may start the runtime (a
   * deploy from a Worker without `--allow-run` still gets its image, cold)
   */
  warmCache?: boolean;
}

/**
 * Imports the sensor image (`local/netd:<version>`) through the Docker API
 * from a tar stream made of what is on this host: the runtime and program,
 * the shared libraries the running process has loaded (read from
 * /proc/self/maps, so no `ldd` subprocess is needed) and, for a bundle, the
 * runtime's cache warmed by one run of it on loopback. No registry, no base
 * image.
 *
 * @param docker The Docker client.
 * @param options Program, version tag, time limit.
 * @returns The image reference and id.
 * @example
 * ```ts
 * import { openDocker } from "../docker/mod.ts";
 * await using docker = openDocker({ dockerHost: "unix:///var/run/docker.sock" });
 * await buildSensorImage(docker, { program: sensorProgramOf(Deno.mainModule, Deno.execPath())!, version: "0.1.0" });
 * ```
 */
export async function buildSensorImage(
  docker: DockerClient,
  options: BuildSensorImageOptions,
): Promise<{ image: string; id: string }> {
  const runtime = options.program.kind === "bundle"
    ? options.program.runtime
    : options.program.binary;
  const program = options.program;
  const warm = options.warmCache ??
    (program.kind === "bundle" &&
      Deno.permissions.querySync({ name: "run", command: program.runtime }).state === "granted");
  const cacheDir = program.kind === "bundle" && warm
    ? await Deno.makeTempDir({ prefix: "netd-cache-" })
    : undefined;
  try {
    if (cacheDir && program.kind === "bundle") {
      await warmSensorCache({ runtime: program.runtime, bundle: program.bundle, cacheDir });
    }
    const entries = sensorImageEntries(program, {
      libraries: loadedLibraries(Deno.readTextFileSync("/proc/self/maps")),
      interpreter: elfInterpreter(readHead(runtime)),
      size: (p) => Deno.statSync(p).size,
      realPath: (p) => Deno.realPathSync(p),
      cacheDir,
    });
    const id = await docker.importImage(tarStream(entries), {
      repo: SENSOR_IMAGE_REPO,
      tag: options.version,
      changes: sensorImageChanges(program),
      timeoutMs: options.timeoutMs ?? 300_000,
    });
    return { image: `${SENSOR_IMAGE_REPO}:${options.version}`, id };
  } finally {
    if (cacheDir) await Deno.remove(cacheDir, { recursive: true });
  }
}

/**
 * What this process runs, as a sensor program: the bundle and its runtime
 * (`deno run dist/decnet.js`), or the compiled binary; undefined when
 * running from the source tree (bundle it first: `deno task build`). A
 * bundle is replaced by the sensor's own bundle beside it
 * ({@linkcode SENSOR_BUNDLE_FILE}) when there is one: the same sensor in a
 * tenth of the code, which each sensor process parses and holds.
 *
 * @param mainModule `Deno.mainModule`
 * @param execPath `Deno.execPath()`
 * @param options `isFile` checks a host path. @default Deno.statSync
 * @returns The program, or undefined.
 * @example
 * ```ts
 * sensorProgramOf("file:///opt/x/dist/decnet.js", "/usr/bin/deno");
 * // { kind: "bundle", runtime: "/usr/bin/deno", bundle: "/opt/x/dist/decnet-sensor.js" }
 * // (or bundle: "/opt/x/dist/decnet.js" when no decnet-sensor.js lies beside it)
 * ```
 */
export function sensorProgramOf(
  mainModule: string,
  execPath: string,
  options: { isFile?: (path: string) => boolean } = {},
): SensorProgram | undefined {
  if (!mainModule.startsWith("file:")) return undefined;
  const path = decodeURIComponent(new URL(mainModule).pathname);
  // A compiled program runs its embedded modules from a virtual deno-compile-* folder.
  if (path.includes("/deno-compile-")) return { kind: "compiled", binary: execPath };
  if (!path.endsWith(".js")) return undefined;
  const sensor = `${path.slice(0, path.lastIndexOf("/") + 1)}${SENSOR_BUNDLE_FILE}`;
  const isFile = options.isFile ?? ((p: string) => {
    try {
      return Deno.statSync(p).isFile;
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return false;
      throw e;
    }
  });
  return { kind: "bundle", runtime: execPath, bundle: isFile(sensor) ? sensor : path };
}

/** Shared libraries mapped into this process (the runtime's, as the loader found them). */
export function loadedLibraries(maps: string): string[] {
  const found = new Set<string>();
  for (const line of maps.split("\n")) {
    const path = line.trim().split(/\s+/)[5];
    if (path?.startsWith("/") && /\.so(\.\d+)*$/.test(path)) found.add(path);
  }
  return [...found].sort();
}

/**
 * The ELF interpreter (PT_INTERP) a 64-bit little-endian executable names.
 *
 * @throws {SyntaxError} when `bytes` is no such executable or names none
 */
export function elfInterpreter(bytes: Uint8Array): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const isElf64Le = bytes.length > 64 && view.getUint32(0) === 0x7f454c46 && bytes[4] === 2 &&
    bytes[5] === 1;
  if (!isElf64Le) throw new SyntaxError("Cannot read runtime: expected a 64-bit ELF executable");
  const phoff = Number(view.getBigUint64(0x20, true));
  const phentsize = view.getUint16(0x36, true);
  const phnum = view.getUint16(0x38, true);
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (view.getUint32(at, true) !== 3) continue;
    const offset = Number(view.getBigUint64(at + 8, true));
    const size = Number(view.getBigUint64(at + 32, true));
    return new TextDecoder().decode(bytes.subarray(offset, offset + size)).replace(/\0+$/, "");
  }
  throw new SyntaxError("Cannot read runtime: it names no ELF interpreter (statically linked?)");
}

/** The first 64 KiB of a file: where an executable's headers and interpreter name sit. */
function readHead(path: string): Uint8Array {
  using file = Deno.openSync(path);
  const buffer = new Uint8Array(64 * 1024);
  let n = 0;
  while (n < buffer.length) {
    const got = file.readSync(buffer.subarray(n));
    if (got === null) break;
    n += got;
  }
  return buffer.subarray(0, n);
}
