import { findBinary } from "./find_binary.ts";
import { freePort } from "./free_port.ts";
import { spawnServer } from "./spawn_server.ts";
import { waitUntil } from "./wait_until.ts";

/** A private Dovecot (IMAP and POP3) started for a test. */
export interface DovecotServer extends AsyncDisposable {
  imapPort: number;
  pop3Port: number;
  /** Dovecot's log so far (for a failing test's message). */
  readLog(): Promise<string>;
  close(): Promise<void>;
}

/** Options for {@linkcode startDovecot}. */
export interface StartDovecotOptions {
  /** The one login the passdb knows. */
  user: string;
  password: string;
  /** The user's INBOX as an mbox file (what Debian's default location holds). */
  mbox: string;
}

/** Why Dovecot cannot start here, or undefined when it can. */
export function dovecotUnavailable(): string | undefined {
  if (!findBinary("dovecot")) {
    return "dovecot not installed (Debian packages dovecot-imapd, dovecot-pop3d)";
  }
  for (const [binary, pkg] of [["imap", "dovecot-imapd"], ["pop3", "dovecot-pop3d"]]) {
    try {
      Deno.statSync(`/usr/lib/dovecot/${binary}`);
    } catch {
      return `${pkg} not installed`;
    }
  }
  return undefined;
}

/**
 * Starts Debian's Dovecot in the foreground on two free loopback ports with
 * a private config: Debian bookworm's stock settings (auth_mechanisms plain,
 * `mbox:~/mail:INBOX=/var/mail/%u` here under the temp dir, the stock
 * special-use mailboxes) except `ssl = no` and `disable_plaintext_auth = no`,
 * the configuration whose greeting offers neither STARTTLS nor
 * LOGINDISABLED. One passwd-file user owns the INBOX.
 */
export async function startDovecot(options: StartDovecotOptions): Promise<DovecotServer> {
  const dir = await Deno.makeTempDir({ prefix: "dovecot-" });
  await Deno.chmod(dir, 0o755);
  const imapPort = freePort();
  const pop3Port = freePort();
  const uid = Deno.uid() ?? 0;
  const gid = Deno.gid() ?? 0;
  // Dovecot never serves mail as root: root runs use nobody's ids.
  const [mailUid, mailGid] = uid === 0 ? [65534, 65534] : [uid, gid];
  const spool = `${dir}/spool`;
  const home = `${dir}/home/${options.user}`;
  await Deno.mkdir(spool, { recursive: true });
  await Deno.mkdir(`${home}/mail`, { recursive: true });
  await Deno.writeTextFile(`${spool}/${options.user}`, options.mbox);
  await Deno.chmod(spool, 0o1777);
  if (uid === 0) {
    for (const path of [`${spool}/${options.user}`, `${dir}/home`, home, `${home}/mail`]) {
      await Deno.chown(path, mailUid, mailGid);
    }
  }
  await Deno.writeTextFile(
    `${dir}/users`,
    `${options.user}:{PLAIN}${options.password}:${mailUid}:${mailGid}::${home}::\n`,
  );
  const loginUsers = uid === 0
    ? "default_login_user = dovenull\ndefault_internal_user = dovecot\n"
    : `default_login_user = ${Deno.env.get("USER") ?? "nobody"}\ndefault_internal_user = ${
      Deno.env.get("USER") ?? "nobody"
    }\n`;
  const conf = `${dir}/dovecot.conf`;
  await Deno.writeTextFile(
    conf,
    `protocols = imap pop3
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
instance_name = dovecot-test-${imapPort}
${loginUsers}ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
first_valid_uid = 1
mail_location = mbox:~/mail:INBOX=${spool}/%u
namespace inbox {
  inbox = yes
  mailbox Drafts {
    special_use = \\Drafts
  }
  mailbox Junk {
    special_use = \\Junk
  }
  mailbox Trash {
    special_use = \\Trash
  }
  mailbox Sent {
    special_use = \\Sent
  }
  mailbox "Sent Messages" {
    special_use = \\Sent
  }
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN ${dir}/users
}
userdb {
  driver = passwd-file
  args = ${dir}/users
}
service imap-login {
  inet_listener imap {
    port = ${imapPort}
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = ${pop3Port}
  }
  inet_listener pop3s {
    port = 0
  }
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
`,
  );
  const stop = spawnServer("dovecot", ["-F", "-c", conf], dir);
  try {
    await waitUntil(async () => {
      for (const port of [imapPort, pop3Port]) {
        try {
          const conn = await Deno.connect({ hostname: "127.0.0.1", port });
          conn.close();
        } catch {
          return false;
        }
      }
      return true;
    }, { what: "dovecot", timeoutMs: 20_000 });
  } catch (e) {
    const log = await Deno.readTextFile(`${dir}/dovecot.log`).catch(() => "");
    await stop();
    throw new Error(`Cannot start dovecot: ${log.slice(-2000)}`, { cause: e });
  }
  let closed: Promise<void> | undefined;
  const close = () => closed ??= stop();
  const readLog = () => Deno.readTextFile(`${dir}/dovecot.log`).catch(() => "");
  return { imapPort, pop3Port, readLog, close, [Symbol.asyncDispose]: close };
}
