import { waitUntil } from "./wait_until.ts";
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

/** A test server that listens on a TCP port of 127.0.0.1. */
export interface TcpTestServer extends AsyncDisposable {
  port: number;
  /** Stops the server and removes its directory; idempotent. */
  close(): Promise<void>;
}

/**
 * {@linkcode spawnServer}, then waits until `port` on 127.0.0.1 accepts a
 * connection (stopping the server if it never does).
 *
 * @example
 * ```ts
 * import { startTcpServer } from "./spawn_server.ts";
 * await using ftp = await startTcpServer("vsftpd", ["/tmp/f/vsftpd.conf"], "/tmp/f", 2121);
 * ```
 */
export async function startTcpServer(
  binary: string,
  args: string[],
  dir: string,
  port: number,
): Promise<TcpTestServer> {
  const stop = spawnServer(binary, args, dir);
  try {
    await waitUntil(async () => {
      try {
        const conn = await Deno.connect({ hostname: "127.0.0.1", port });
        conn.close();
        return true;
      } catch {
        return false;
      }
    }, { what: binary, timeoutMs: 20_000 });
  } catch (e) {
    await stop();
    throw e;
  }
  let closed: Promise<void> | undefined;
  const close = () => closed ??= stop();
  return { port, close, [Symbol.asyncDispose]: close };
}
