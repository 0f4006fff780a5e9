import { findBinary } from "./find_binary.ts";
import { freePort } from "./free_port.ts";
import { startTcpServer } from "./spawn_server.ts";

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
  return await startTcpServer(
    "socat",
    [
      `TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork`,
      `EXEC:${findBinary("telnetd")},nofork`,
    ],
    dir,
    port,
  );
}
