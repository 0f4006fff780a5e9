import { findBinary } from "./find_binary.ts";
import { freePort } from "./free_port.ts";
import { startTcpServer } from "./spawn_server.ts";

/** A private smbd started for a test. */
export interface SambaServer extends AsyncDisposable {
  port: number;
  /** The NetBIOS name it was given. */
  netbiosName: string;
  close(): Promise<void>;
}

/** Why smbd cannot start here, or undefined when it can. */
export function sambaUnavailable(): string | undefined {
  if (!findBinary("smbd")) return "smbd not installed (Debian package samba)";
  if (Deno.uid() !== 0) return "smbd needs root to start";
  return undefined;
}

/**
 * Starts Debian's smbd in the foreground as a standalone server on a free
 * loopback port, every state folder in a temp dir: the stock defaults of a
 * workgroup file server (`server role = standalone server`, no printers,
 * NetBIOS off since only port 445 is compared), with `restrict anonymous = 2`
 * so a null session lists no shares, as the sensor imitates. It keeps its own process
 * group: on SIGTERM smbd signals its whole group, which must not be ours.
 */
export async function startSamba(netbiosName = "FILESRV01"): Promise<SambaServer> {
  const dir = await Deno.makeTempDir({ prefix: "samba-" });
  const port = freePort();
  for (const sub of ["run", "lock", "state", "cache", "private", "ncalrpc", "share"]) {
    await Deno.mkdir(`${dir}/${sub}`);
  }
  const conf = `${dir}/smb.conf`;
  await Deno.writeTextFile(
    conf,
    `[global]
  workgroup = WORKGROUP
  netbios name = ${netbiosName}
  server role = standalone server
  smb ports = ${port}
  interfaces = 127.0.0.1
  bind interfaces only = yes
  disable netbios = yes
  load printers = no
  printcap name = /dev/null
  disable spoolss = yes
  restrict anonymous = 2
  pid directory = ${dir}/run
  lock directory = ${dir}/lock
  state directory = ${dir}/state
  cache directory = ${dir}/cache
  private dir = ${dir}/private
  ncalrpc dir = ${dir}/ncalrpc
  binddns dir = ${dir}/private
  log file = ${dir}/log.%m
  passdb backend = tdbsam:${dir}/private/passdb.tdb
[share]
  path = ${dir}/share
`,
  );
  const server = await startTcpServer("smbd", ["--foreground", "--configfile", conf], dir, port);
  return { ...server, netbiosName };
}
