import { findBinary } from "./find_binary.ts";
import { freePort } from "./free_port.ts";
import { spawnServer } from "./spawn_server.ts";
import { waitUntil } from "./wait_until.ts";

/** A private NSD authoritative server started for a test. */
export interface NsdServer extends AsyncDisposable {
  port: number;
  close(): Promise<void>;
}

/** Options for {@linkcode startNsd}. */
export interface StartNsdOptions {
  /** Zone apex ("t.example.net"). */
  zone: string;
  /** The zone file's records below `$ORIGIN <zone>.` and `$TTL`, one per line. */
  records: string;
  /** Default TTL of the zone file. */
  ttl: number;
}

/** Why NSD cannot start here, or undefined when it can. */
export function nsdUnavailable(): string | undefined {
  if (!findBinary("nsd")) return "nsd not installed (Debian package nsd)";
  return undefined;
}

/**
 * Starts Debian's NSD in the foreground (`-d`) on a free loopback port (UDP
 * and TCP), from a private folder, as the current user, serving one zone
 * with no transfer allowed to anyone (NSD's default): the reference for how
 * a real authoritative server answers.
 */
export async function startNsd(options: StartNsdOptions): Promise<NsdServer> {
  const dir = await Deno.makeTempDir({ prefix: "nsd-" });
  const port = freePort();
  await Deno.writeTextFile(
    `${dir}/zone`,
    `$ORIGIN ${options.zone}.\n$TTL ${options.ttl}\n${options.records}\n`,
  );
  await Deno.writeTextFile(
    `${dir}/nsd.conf`,
    `server:
  ip-address: 127.0.0.1
  port: ${port}
  username: ""
  chroot: ""
  zonesdir: "${dir}"
  pidfile: "${dir}/nsd.pid"
  database: ""
  zonelistfile: "${dir}/zone.list"
  xfrdfile: "${dir}/xfrd.state"
  xfrdir: "${dir}"
  logfile: "${dir}/nsd.log"
  server-count: 1
  hide-version: yes
remote-control:
  control-enable: no
zone:
  name: "${options.zone}"
  zonefile: "zone"
`,
  );
  const stop = spawnServer("nsd", ["-d", "-c", `${dir}/nsd.conf`], dir);
  try {
    await waitUntil(async () => {
      const log = await Deno.readTextFile(`${dir}/nsd.log`).catch(() => "");
      if (!log.includes("nsd started")) return false;
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      conn.close();
      return true;
    }, { what: "nsd", timeoutMs: 20_000 });
  } catch (e) {
    await stop();
    throw e;
  }
  let closed: Promise<void> | undefined;
  const close = () => closed ??= stop();
  return { port, close, [Symbol.asyncDispose]: close };
}
