import { findBinary } from "./find_binary.ts";
import { freePort } from "./free_port.ts";
import { spawnServer } from "./spawn_server.ts";
import { waitUntil } from "./wait_until.ts";

/** Debian's inetutils-telnetd behind a private inetd-style listener, for a test. */
export interface TelnetdServer extends AsyncDisposable {
  port: number;
  close(): Promise<void>;
}

/** Why telnetd cannot start here, or undefined when it can. */
export function telnetdUnavailable(): string | undefined {
  if (!findBinary("telnetd")) return "telnetd not installed (Debian package inetutils-telnetd)";
  if (!findBinary("socat")) return "socat not installed (Debian package socat)";
  if (Deno.uid() !== 0) return "telnetd runs login, which needs root";
  return undefined;
}

/**
 * Starts inetutils-telnetd as inetd would (Debian's inetd.conf line runs
 * /usr/sbin/telnetd with no options, one process per connection, the socket
 * as its stdin/stdout): socat accepts on a free loopback port and execs
 * telnetd in the forked child (`nofork`), so telnetd gets the TCP socket
 * itself and then runs the machine's /bin/login.
 */
export async function startTelnetd(): Promise<TelnetdServer> {
  const dir = await Deno.makeTempDir({ prefix: "telnetd-" });
  const port = freePort();
  const stop = spawnServer("socat", [
    `TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork`,
    `EXEC:${findBinary("telnetd")},nofork`,
  ], dir);
  try {
    await waitUntil(async () => {
      try {
        const conn = await Deno.connect({ hostname: "127.0.0.1", port });
        conn.close();
        return true;
      } catch {
        return false;
      }
    }, { what: "telnetd", timeoutMs: 20_000 });
  } catch (e) {
    await stop();
    throw e;
  }
  let closed: Promise<void> | undefined;
  const close = () => closed ??= stop();
  return { port, close, [Symbol.asyncDispose]: close };
}
