import { findBinary } from "./find_binary.ts";
import { freePort } from "./free_port.ts";
import { spawnServer } from "./spawn_server.ts";
import { waitUntil } from "./wait_until.ts";

/** A private unbound recursive resolver started for a test. */
export interface UnboundServer extends AsyncDisposable {
  port: number;
  close(): Promise<void>;
}

/** Options for {@linkcode startUnbound}. */
export interface StartUnboundOptions {
  /** Zone handed to a stub server on loopback. */
  stubZone: string;
  /** Port of that stub server on 127.0.0.1. */
  stubPort: number;
}

/** Why unbound cannot start here, or undefined when it can. */
export function unboundUnavailable(): string | undefined {
  if (!findBinary("unbound")) return "unbound not installed (Debian package unbound)";
  if (!findBinary("dig")) return "dig not installed (Debian package bind9-dnsutils)";
  return undefined;
}

/**
 * Starts Debian's unbound in the foreground on a loopback port with a private
 * config: 0x20 case randomisation and qname minimisation on, a stub zone
 * pointing at our listener, no DNSSEC (the stub zone is unsigned).
 */
export async function startUnbound(options: StartUnboundOptions): Promise<UnboundServer> {
  const dir = await Deno.makeTempDir({ prefix: "unbound-" });
  const port = freePort();
  const conf = `${dir}/unbound.conf`;
  await Deno.writeTextFile(
    conf,
    `server:
  do-daemonize: no
  interface: 127.0.0.1@${port}
  port: ${port}
  do-ip6: no
  do-not-query-localhost: no
  username: ""
  chroot: ""
  directory: "${dir}"
  pidfile: "${dir}/unbound.pid"
  use-syslog: no
  logfile: ""
  verbosity: 1
  access-control: 127.0.0.0/8 allow
  module-config: "iterator"
  use-caps-for-id: yes
  qname-minimisation: yes
  qname-minimisation-strict: no
  cache-max-negative-ttl: 0
remote-control:
  control-enable: no
stub-zone:
  name: "${options.stubZone}"
  stub-addr: 127.0.0.1@${options.stubPort}
`,
  );
  const stop = spawnServer("unbound", ["-d", "-c", conf], dir);
  try {
    await waitUntil(async () => {
      const out = await new Deno.Command(findBinary("dig")!, {
        args: [`@127.0.0.1`, "-p", String(port), "+time=1", "+tries=1", options.stubZone, "SOA"],
        stdout: "piped",
        stderr: "null",
      }).output();
      return out.success && new TextDecoder().decode(out.stdout).includes("status: NOERROR");
    }, { what: "unbound", timeoutMs: 20_000 });
  } catch (e) {
    await stop();
    throw e;
  }
  let closed: Promise<void> | undefined;
  const close = () => closed ??= stop();
  return { port, close, [Symbol.asyncDispose]: close };
}
