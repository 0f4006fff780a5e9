import { shellScript } from "../docker/mod.ts";
import type { DockerClient } from "../docker/mod.ts";

/** Options for {@linkcode appendLog}. */
export interface AppendLogOptions {
  /** Absolute path of an existing regular file. */
  path: string;
  /** Complete lines to append. */
  bytes: Uint8Array;
  /** @default 20000 */
  timeoutMs?: number;
  signal?: AbortSignal;
}

// Appends in place: the inode the syslog daemon holds open, the owner, the
// group and the mode stay as they are, and nothing is created.
// Argument: $1 path.
const APPEND_SCRIPT = `if [ ! -f "$1" ] || [ -L "$1" ]; then
  echo "not an existing regular file: $1" >&2
  exit 3
fi
cat >> "$1"
`;

/**
 * Appends lines to an existing log file inside a container (`docker exec`,
 * the path as a positional parameter, the bytes on stdin). Never creates the
 * file and never changes its owner or mode.
 *
 * @param docker the Docker client
 * @param container container name or id
 * @param options path and bytes
 * @returns whether it was appended, and stderr when not
 * @throws DockerUnreachableError, DockerTimeoutError, DockerApiError from core/docker
 * @example
 * ```ts
 * import type { DockerClient } from "../docker/base.ts";
 * declare const bytes: Uint8Array;
 * declare const docker: DockerClient;
 * await appendLog(docker, "ws-01-ssh", { path: "/var/log/auth.log", bytes });
 * ```
 */
export async function appendLog(
  docker: DockerClient,
  container: string,
  options: AppendLogOptions,
): Promise<{ ok: boolean; exitCode: number; stderr: string }> {
  if (!options.path.startsWith("/")) {
    throw new TypeError(`Cannot append to log: path must be absolute, got "${options.path}"`);
  }
  const result = await docker.exec(container, shellScript(APPEND_SCRIPT, [options.path]), {
    stdin: options.bytes,
    user: "0",
    timeoutMs: options.timeoutMs ?? 20_000,
    signal: options.signal,
  });
  return {
    ok: result.exitCode === 0,
    exitCode: result.exitCode,
    stderr: new TextDecoder().decode(result.stderr).trim().slice(0, 2000),
  };
}
