import { latin1Text } from "./latin1_text.ts";
import { fallbackMailbox } from "./fallback_mailbox.ts";
import type { MailMessage } from "./mail_message.ts";
import { Mailbox } from "./mailbox.ts";
import { maildirFlags } from "./maildir_flags.ts";
import { parseMbox } from "./parse_mbox.ts";
import { storedMessage } from "./stored_message.ts";

/** Options for {@linkcode MailSpool}. */
export interface MailSpoolOptions {
  /** The spool directory (see {@linkcode MailSpool}); none means fallback mail only. */
  dir?: string;
  /** Whose mailbox a login without its own one sees. @default "root" */
  owner?: string;
  /** Seeds the fallback mailbox. */
  decky: string;
  hostname?: string;
  now: () => Date;
}

// A login names a file in the spool: nothing that could leave it.
const USER_REGEXP = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/;

interface Cached {
  mtimeMs: number;
  mailbox: Mailbox;
}

/**
 * The mailboxes a decky's mail spool holds, as Debian's Dovecot lays them
 * out: `<dir>/<login>` an mbox file (the default `INBOX=/var/mail/%u`),
 * or `<dir>/<login>/` a Maildir (`cur/`, `new/`). A login with no mailbox
 * of its own sees the owner's; when that is missing too, a generated
 * corporate INBOX. Parsed mailboxes are cached and read again when the
 * file's (or Maildir folders') mtime changes.
 *
 * @example
 * ```ts
 * const spool = new MailSpool({ dir: "/var/mail", owner: "ana", decky: "ws-01", now: () => new Date() });
 * const inbox = await spool.mailbox("ana");
 * inbox.entries.length;
 * ```
 */
export class MailSpool {
  readonly #options: MailSpoolOptions;
  readonly #cache = new Map<string, Cached>();
  #fallback: Mailbox | undefined;

  constructor(options: MailSpoolOptions) {
    this.#options = options;
  }

  /** The INBOX `login` sees. */
  async mailbox(login: string): Promise<Mailbox> {
    const owner = this.#options.owner ?? "root";
    for (const user of login === owner ? [owner] : [login, owner]) {
      if (!USER_REGEXP.test(user) || this.#options.dir === undefined) continue;
      const found = await this.#read(`${this.#options.dir}/${user}`);
      if (found) return found;
    }
    if (!this.#fallback) {
      const messages = fallbackMailbox({
        decky: this.#options.decky,
        owner,
        hostname: this.#options.hostname,
        now: this.#options.now(),
      });
      this.#fallback = new Mailbox(messages, uidValidityOf(messages, this.#options.now()));
    }
    return this.#fallback;
  }

  async #read(path: string): Promise<Mailbox | null> {
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.PermissionDenied) {
        return null;
      }
      throw e;
    }
    const mtimeMs = info.isDirectory ? await maildirMtime(path) : info.mtime?.getTime() ?? 0;
    const cached = this.#cache.get(path);
    if (cached && cached.mtimeMs === mtimeMs) {
      return cached.mailbox.entries.length ? cached.mailbox : null;
    }
    const messages = info.isDirectory
      ? await readMaildir(path)
      : parseMbox(latin1Text(await Deno.readFile(path)));
    if (cached) cached.mailbox.replace(messages);
    const mailbox = cached?.mailbox ??
      new Mailbox(messages, uidValidityOf(messages, this.#options.now()));
    this.#cache.set(path, { mtimeMs, mailbox });
    return messages.length ? mailbox : null;
  }
}

/** Dovecot's UIDVALIDITY is the mailbox's creation time: the first delivery's is close. */
function uidValidityOf(messages: readonly MailMessage[], now: Date): number {
  const first = messages[0]?.internalDate.getTime() ?? now.getTime();
  return Math.max(1, Math.floor(first / 1000) - 60);
}

async function maildirMtime(dir: string): Promise<number> {
  let latest = 0;
  for (const sub of ["cur", "new"]) {
    try {
      latest = Math.max(latest, (await Deno.stat(`${dir}/${sub}`)).mtime?.getTime() ?? 0);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  return latest;
}

async function readMaildir(dir: string): Promise<MailMessage[]> {
  const found: { name: string; path: string; mtime: Date }[] = [];
  for (const sub of ["cur", "new"]) {
    try {
      for await (const entry of Deno.readDir(`${dir}/${sub}`)) {
        if (!entry.isFile || entry.name.startsWith(".")) continue;
        const path = `${dir}/${sub}/${entry.name}`;
        found.push({ name: entry.name, path, mtime: (await Deno.stat(path)).mtime ?? new Date(0) });
      }
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  // Maildir names start with the delivery's epoch seconds: their order is the arrival order.
  found.sort((a, b) => a.mtime.getTime() - b.mtime.getTime() || a.name.localeCompare(b.name));
  const out: MailMessage[] = [];
  for (const file of found) {
    const lines = latin1Text(await Deno.readFile(file.path)).split("\n");
    if (lines.at(-1) === "") lines.pop();
    out.push(
      storedMessage(lines.map((l) => l.replace(/\r$/, "")), file.mtime, maildirFlags(file.name)),
    );
  }
  return out;
}
