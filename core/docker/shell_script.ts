/**
 * Argv that runs a fixed `sh -c` script inside a container with untrusted
 * strings passed as positional parameters (`$1`, `$2`, ... or `"$@"`), so they
 * are never parsed as shell code. The script itself must be a constant.
 *
 * @param script Shell code; refer to arguments as `"$1"` etc., always quoted.
 * @param args Untrusted strings (paths, names), passed verbatim.
 * @returns `["sh", "-c", script, "sh", ...args]` (`sh` becomes `$0`).
 * @throws {TypeError} When an argument contains a NUL byte (argv cannot carry it).
 * @example
 * ```ts
 * import type { DockerClient } from "./base.ts";
 * import { shellScript } from "./shell_script.ts";
 * declare const bytes: Uint8Array;
 * declare const docker: DockerClient;
 * const path = "/home/ana/notes/todo.txt";
 * await docker.exec("ws-01-ssh", shellScript('mkdir -p "$(dirname "$1")" && cat > "$1"', [path]), {
 *   stdin: bytes,
 * });
 * ```
 */
export function shellScript(script: string, args: readonly string[] = []): string[] {
  for (const arg of [script, ...args]) {
    if (arg.includes("\0")) {
      throw new TypeError(`Cannot build shell argv: NUL byte in argument, got "${arg}"`);
    }
  }
  return ["sh", "-c", script, "sh", ...args];
}
