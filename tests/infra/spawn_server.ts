import { findBinary } from "./find_binary.ts";

/**
 * Starts a test server binary in the foreground, its stderr drained so it never
 * blocks on a full pipe, and returns its stop: SIGTERM, wait for the exit,
 * remove the server's scratch `dir`.
 *
 * @example
 * ```ts
 * import { spawnServer } from "./spawn_server.ts";
 * const stop = spawnServer("unbound", ["-d", "-c", "/tmp/u/unbound.conf"], "/tmp/u");
 * await stop();
 * ```
 */
export function spawnServer(binary: string, args: string[], dir: string): () => Promise<void> {
  const child = new Deno.Command(findBinary(binary)!, {
    args,
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = child.stderr.pipeTo(new WritableStream()).catch(() => {});
  return async () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // already gone
    }
    await child.status;
    await stderr;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
}
