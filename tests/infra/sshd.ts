import { findBinary } from "./find_binary.ts";
import { freePort } from "./free_port.ts";
import { spawnServer } from "./spawn_server.ts";
import { waitUntil } from "./wait_until.ts";

/** A private OpenSSH server started for a test. */
export interface SshdServer extends AsyncDisposable {
  port: number;
  /** Its scratch folder (host keys, config, authorized_keys). */
  dir: string;
  /** The login that works: the user running the tests. */
  user: string;
  close(): Promise<void>;
}

/** Options for {@linkcode startSshd}. */
export interface StartSshdOptions {
  /** Public key lines (`ssh-ed25519 AAAA...`) that may log in as {@linkcode SshdServer.user}. */
  authorizedKeys?: readonly string[];
}

/** Why sshd cannot start here, or undefined when it can. */
export function sshdUnavailable(): string | undefined {
  if (!findBinary("sshd")) return "sshd not installed (Debian package openssh-server)";
  if (!findBinary("ssh-keygen")) return "ssh-keygen not installed (Debian package openssh-client)";
  return undefined;
}

/**
 * Starts Debian's sshd in the foreground (`-D -e`) on a free loopback port
 * with its own host keys (RSA 3072, ECDSA P-256, Ed25519: what Debian's
 * postinst generates, loaded in sshd's default order) and Debian bookworm's
 * stock sshd_config settings. As root it needs the privilege-separation
 * folder /run/sshd, which the package normally creates at boot; as any other
 * user it runs unprivileged and only that user can log in.
 */
export async function startSshd(options: StartSshdOptions = {}): Promise<SshdServer> {
  const dir = await Deno.makeTempDir({ prefix: "sshd-" });
  const port = freePort();
  const root = Deno.uid() === 0;
  if (root) await Deno.mkdir("/run/sshd", { recursive: true, mode: 0o755 });
  const keys = [["rsa", "3072"], ["ecdsa", "256"], ["ed25519", "256"]];
  for (const [type, bits] of keys) {
    const out = await new Deno.Command(findBinary("ssh-keygen")!, {
      args: ["-q", "-t", type, "-b", bits, "-N", "", "-f", `${dir}/ssh_host_${type}_key`],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!out.success) {
      throw new Error(`Cannot generate ${type} host key: ${new TextDecoder().decode(out.stderr)}`);
    }
  }
  await Deno.writeTextFile(`${dir}/authorized_keys`, (options.authorizedKeys ?? []).join("\n"));
  await Deno.writeTextFile(
    `${dir}/sshd_config`,
    `Port ${port}
ListenAddress 127.0.0.1
${keys.map(([type]) => `HostKey ${dir}/ssh_host_${type}_key`).join("\n")}
PidFile ${dir}/sshd.pid
AuthorizedKeysFile ${dir}/authorized_keys
StrictModes no
PermitRootLogin prohibit-password
KbdInteractiveAuthentication no
UsePAM no
X11Forwarding yes
PrintMotd no
AcceptEnv LANG LC_*
Subsystem sftp /usr/lib/openssh/sftp-server
`,
  );
  const stop = spawnServer("sshd", ["-D", "-e", "-f", `${dir}/sshd_config`], dir);
  try {
    await waitUntil(async () => {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      try {
        const buf = new Uint8Array(64);
        const n = await conn.read(buf);
        return n !== null && new TextDecoder().decode(buf.subarray(0, n)).startsWith("SSH-2.0-");
      } finally {
        conn.close();
      }
    }, { what: "sshd", timeoutMs: 20_000 });
  } catch (e) {
    await stop();
    throw e;
  }
  const user = new TextDecoder().decode(
    (await new Deno.Command("id", { args: ["-un"], stdout: "piped" }).output()).stdout,
  ).trim();
  let closed: Promise<void> | undefined;
  const close = () => closed ??= stop();
  return { port, dir, user, close, [Symbol.asyncDispose]: close };
}
