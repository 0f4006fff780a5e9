import { findBinary } from "./find_binary.ts";
import { freePort } from "./free_port.ts";
import { startTcpServer } from "./spawn_server.ts";

/** A private vsftpd started for a test. */
export interface VsftpdServer extends AsyncDisposable {
  port: number;
  close(): Promise<void>;
}

/** Why vsftpd cannot start here, or undefined when it can. */
export function vsftpdUnavailable(): string | undefined {
  if (!findBinary("vsftpd")) return "vsftpd not installed (Debian package vsftpd)";
  if (Deno.uid() !== 0) return "vsftpd runs its sessions as root";
  return undefined;
}

/**
 * Starts Debian's vsftpd 3.0.3 in the foreground on a free loopback port with
 * Debian bookworm's stock /etc/vsftpd.conf (anonymous off, local users on,
 * PAM service vsftpd), changed only where a private instance must be:
 * standalone listener on 127.0.0.1, logs and the empty chroot folder in a
 * temp dir.
 */
export async function startVsftpd(): Promise<VsftpdServer> {
  const dir = await Deno.makeTempDir({ prefix: "vsftpd-" });
  const port = freePort();
  await Deno.mkdir(`${dir}/empty`, { mode: 0o755 });
  const conf = `${dir}/vsftpd.conf`;
  await Deno.writeTextFile(
    conf,
    `listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=${port}
background=NO
anonymous_enable=NO
local_enable=YES
dirmessage_enable=YES
use_localtime=YES
xferlog_enable=YES
xferlog_file=${dir}/xferlog
vsftpd_log_file=${dir}/vsftpd.log
connect_from_port_20=YES
secure_chroot_dir=${dir}/empty
pam_service_name=vsftpd
rsa_cert_file=/etc/ssl/certs/ssl-cert-snakeoil.pem
rsa_private_key_file=/etc/ssl/private/ssl-cert-snakeoil.key
ssl_enable=NO
`,
    { mode: 0o600 },
  );
  return await startTcpServer("vsftpd", [conf], dir, port);
}
