import { shellScript } from "../docker/mod.ts";
import type { DockerClient } from "../docker/mod.ts";
import { fileNanos } from "./_file_nanos.ts";
import { tarArchive } from "./_tar_archive.ts";

/** A file of {@linkcode plantTree}. */
export interface TreeFile {
  /** Relative to the root, `/`-separated. */
  path: string;
  bytes: Uint8Array;
  mode: number;
  mtime: Date;
}

/** Options for {@linkcode plantTree}. */
export interface PlantTreeOptions {
  /** Absolute directory the paths are relative to (created when missing). */
  root: string;
  /** The user who writes the files (and so owns them). */
  login: string;
  files: readonly TreeFile[];
  /** @default 20000 */
  timeoutMs?: number;
  signal?: AbortSignal;
}

// Run as the user: she owns what she writes (no chown), and a link an
// intruder left in her home leads nowhere she could not write herself. tar
// keeps the modes (-p) and the mtimes with nanoseconds, and dates each
// directory after its contents are in.
const TREE_SCRIPT = `mkdir -p "$1" && exec tar -x -p -f - -C "$1"
`;

/**
 * Writes many small files under `root` inside a container in one exec, as
 * `login`, through the decky's own `tar` (a pax archive on stdin): parent
 * directories 0755, every mtime with nanoseconds, each directory dated as
 * its newest entry.
 *
 * @param docker the Docker client
 * @param container container name or id
 * @param options root, login and files
 * @returns the exit code, and stderr when it failed
 * @throws {TypeError} when root is not absolute or a path is not relative
 * @throws DockerUnreachableError, DockerTimeoutError, DockerApiError from core/docker
 * @example
 * ```ts
 * import type { DockerClient } from "../docker/base.ts";
 * import { plantTree } from "./plant_tree.ts";
 * declare const docker: DockerClient;
 * const mtime = new Date("2026-11-02T09:14:00Z");
 * const bytes = new TextEncoder().encode("ref: refs/heads/main\n");
 * await plantTree(docker, "ws-01-ssh", {
 *   root: "/home/ana/src/app",
 *   login: "ana",
 *   files: [{ path: ".git/HEAD", bytes, mode: 0o644, mtime }],
 * });
 * ```
 */
export async function plantTree(
  docker: DockerClient,
  container: string,
  options: PlantTreeOptions,
): Promise<{ ok: boolean; exitCode: number; stderr: string }> {
  if (!options.root.startsWith("/")) {
    throw new TypeError(`Cannot plant files: root must be absolute, got "${options.root}"`);
  }
  const archive = tarArchive(options.files.map((f) => ({
    path: f.path,
    bytes: f.bytes,
    mode: f.mode,
    mtime: `${Math.floor(f.mtime.getTime() / 1000)}.${
      String(fileNanos(f.mtime, `${options.root}/${f.path}`)).padStart(9, "0")
    }`,
  })));
  const r = await docker.exec(container, shellScript(TREE_SCRIPT, [options.root]), {
    stdin: archive,
    user: options.login,
    timeoutMs: options.timeoutMs ?? 20_000,
    signal: options.signal,
  });
  return {
    ok: r.exitCode === 0,
    exitCode: r.exitCode,
    stderr: new TextDecoder().decode(r.stderr).trim().slice(0, 2000),
  };
}
