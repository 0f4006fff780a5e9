import { findBinary } from "./find_binary.ts";
import { freePort } from "./free_port.ts";
import { spawnServer } from "./spawn_server.ts";
import type { TestCertificates } from "./test_certificates.ts";
import { waitUntil } from "./wait_until.ts";

/** A private rsyslogd started for a test. */
export interface RsyslogServer extends AsyncDisposable {
  udpPort: number;
  tcpPort: number;
  /** imtcp with the gtls driver (RFC 5425). */
  tlsPort: number;
  /** Messages received so far, one a line, as rsyslog re-renders them in RFC 5424 (`RSYSLOG_SyslogProtocol23Format`). */
  lines(): Promise<string[]>;
  close(): Promise<void>;
}

/** Why rsyslog cannot start here, or undefined when it can. */
export function rsyslogUnavailable(): string | undefined {
  if (!findBinary("rsyslogd")) return "rsyslogd not installed (Debian package rsyslog)";
  if (!gtlsInstalled()) {
    return "rsyslog's gtls driver not installed (Debian package rsyslog-gnutls)";
  }
  return undefined;
}

/** Whether `/usr/lib/<arch>/rsyslog/lmnsd_gtls.so` exists for some architecture folder. */
function gtlsInstalled(): boolean {
  try {
    for (const entry of Deno.readDirSync("/usr/lib")) {
      try {
        Deno.statSync(`/usr/lib/${entry.name}/rsyslog/lmnsd_gtls.so`);
        return true;
      } catch {
        // not this architecture's folder
      }
    }
  } catch {
    // no /usr/lib
  }
  return false;
}

/**
 * Starts Debian's rsyslogd in the foreground with a private config: imudp,
 * imtcp and a second imtcp with the gtls stream driver (anonymous client
 * auth, the server certificate from `certificates`) on free 127.0.0.1 ports
 * (or `options.ports`, to restart a collector where clients expect it),
 * everything written to one file in RFC 5424 form. Resolves once all three
 * listeners are bound.
 */
export async function startRsyslog(
  certificates: TestCertificates,
  options: { ports?: { udpPort: number; tcpPort: number; tlsPort: number } } = {},
): Promise<RsyslogServer> {
  const dir = await Deno.makeTempDir({ prefix: "rsyslog-" });
  // A free TCP port number is as good as free for UDP too (readiness below checks the bind).
  const { udpPort, tcpPort, tlsPort } = options.ports ??
    { udpPort: freePort(), tcpPort: freePort(), tlsPort: freePort() };
  const out = `${dir}/received.log`;
  const conf = `${dir}/rsyslog.conf`;
  await Deno.writeTextFile(
    conf,
    `global(
  workDirectory="${dir}"
  maxMessageSize="64k"
  defaultNetstreamDriverCAFile="${certificates.caFile}"
  defaultNetstreamDriverCertFile="${certificates.certFile}"
  defaultNetstreamDriverKeyFile="${certificates.keyFile}"
)
module(load="imudp")
module(load="imtcp")
input(type="imudp" address="127.0.0.1" port="${udpPort}")
input(type="imtcp" address="127.0.0.1" port="${tcpPort}")
input(type="imtcp" address="127.0.0.1" port="${tlsPort}"
  streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon")
action(type="omfile" file="${out}" template="RSYSLOG_SyslogProtocol23Format")
`,
  );
  const stop = spawnServer("rsyslogd", ["-n", "-f", conf, "-i", `${dir}/rsyslogd.pid`], dir);
  try {
    await waitUntil(
      async () => udpBound(udpPort) && await tcpAccepts(tcpPort) && await tcpAccepts(tlsPort),
      { what: "rsyslogd listeners" },
    );
  } catch (e) {
    await stop();
    throw e;
  }
  let closed: Promise<void> | undefined;
  const close = () => closed ??= stop();
  return {
    udpPort,
    tcpPort,
    tlsPort,
    async lines() {
      try {
        return (await Deno.readTextFile(out)).split("\n").filter((l) => l !== "");
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) return [];
        throw e;
      }
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Whether a UDP socket is bound to `port` on this host (the kernel's table: UDP has no handshake to probe). */
function udpBound(port: number): boolean {
  const suffix = `:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  return Deno.readTextFileSync("/proc/net/udp").split("\n").some((line) =>
    line.trim().split(/\s+/)[1]?.endsWith(suffix)
  );
}

async function tcpAccepts(port: number): Promise<boolean> {
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.close();
    return true;
  } catch {
    return false;
  }
}
