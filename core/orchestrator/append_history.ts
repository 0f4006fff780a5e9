import { shellScript } from "../docker/mod.ts";
import type { DockerClient } from "../docker/mod.ts";

/** Options for {@linkcode appendHistory}. */
export interface AppendHistoryOptions {
  /** The user whose history grows (the exec runs as that user). */
  login: string;
  /** Command lines, oldest first. */
  lines: readonly string[];
  /** @default 20000 */
  timeoutMs?: number;
  signal?: AbortSignal;
}

// Run as the user: the file is hers, created 0600 as bash creates it.
const HISTORY_SCRIPT = `cd || exit 3
umask 077
printf '%s\\n' "$@" >> .bash_history
`;

/**
 * Appends command lines to a user's `~/.bash_history` inside a container,
 * as that user (owner and 0600 mode as bash leaves them).
 *
 * @param docker the Docker client
 * @param container container name or id
 * @param options the login and lines
 * @returns whether it was appended, and stderr when not
 * @throws DockerUnreachableError, DockerTimeoutError, DockerApiError from core/docker
 * @example
 * ```ts
 * import type { DockerClient } from "../docker/base.ts";
 * import { appendHistory } from "./append_history.ts";
 * declare const docker: DockerClient;
 * await appendHistory(docker, "ws-01-ssh", { login: "ana", lines: ["ls notes", "nano notes/todo.md"] });
 * ```
 */
export async function appendHistory(
  docker: DockerClient,
  container: string,
  options: AppendHistoryOptions,
): Promise<{ ok: boolean; exitCode: number; stderr: string }> {
  if (options.lines.length === 0) return { ok: true, exitCode: 0, stderr: "" };
  const r = await docker.exec(container, shellScript(HISTORY_SCRIPT, options.lines), {
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
