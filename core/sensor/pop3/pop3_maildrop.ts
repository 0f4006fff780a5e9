import { type Mailbox, type MailboxEntry, splitMessage } from "../mail/mod.ts";

/**
 * A POP3 session's maildrop: the INBOX as it was at login, numbered from 1,
 * with the session's deletion marks (dropped at QUIT: the spool is the
 * decky's and is never written). Answers the transaction-state commands in
 * Dovecot's words.
 *
 * @example
 * ```ts
 * import type { Mailbox } from "../mail/mod.ts";
 * declare const inbox: Mailbox;
 * const drop = new Pop3Maildrop(inbox);
 * drop.answer("STAT", ""); // "+OK 2 567\r\n"
 * ```
 */
export class Pop3Maildrop {
  readonly #mailbox: Mailbox;
  readonly #entries: readonly MailboxEntry[];
  readonly #deleted = new Set<number>();

  constructor(mailbox: Mailbox) {
    this.#mailbox = mailbox;
    this.#entries = [...mailbox.entries];
  }

  /**
   * The reply to one command.
   *
   * @param name the command, upper case
   * @param arg what followed it
   * @returns the reply (CRLF-terminated, multi-line ones dot-terminated), or null for an unknown command
   */
  answer(name: string, arg: string): string | null {
    switch (name) {
      case "STAT": {
        const live = this.#live();
        return `+OK ${live.length} ${
          live.reduce((sum, [, e]) => sum + e.message.raw.length, 0)
        }\r\n`;
      }
      case "LIST":
      case "UIDL": {
        const show = ([n, e]: [number, MailboxEntry]) =>
          name === "LIST" ? `${n} ${e.message.raw.length}` : `${n} ${this.#uidl(e)}`;
        if (arg === "") {
          const head = name === "LIST" ? `+OK ${this.#live().length} messages:` : "+OK";
          return [head, ...this.#live().map(show), "."].map((l) => `${l}\r\n`).join("");
        }
        const found = this.#find(arg);
        return typeof found === "string" ? found : `+OK ${show(found)}\r\n`;
      }
      case "RETR":
      case "TOP": {
        const [number, lines, ...noise] = arg.split(" ");
        const found = this.#find(number ?? "");
        if (typeof found === "string") return found;
        const raw = found[1].message.raw;
        if (name === "RETR") {
          this.#mailbox.addFlag(found[1].uid, "\\Seen");
          return `+OK ${raw.length} octets\r\n${dotStuffed(raw)}.\r\n`;
        }
        if (lines === undefined || noise.length > 0) {
          return `-ERR Noise after message number: ${noise.join(" ")}\r\n`;
        }
        if (!/^\d+$/.test(lines)) return `-ERR Invalid size: ${lines}\r\n`;
        const { header, body } = splitMessage(raw);
        const kept = body.split("\r\n").slice(0, Number(lines)).map((l) => `${l}\r\n`).join("");
        return `+OK\r\n${dotStuffed(header + kept.slice(0, body.length))}.\r\n`;
      }
      case "DELE": {
        const found = this.#find(arg);
        if (typeof found === "string") return found;
        this.#deleted.add(found[0]);
        return "+OK Marked to be deleted.\r\n";
      }
      case "RSET":
        this.#deleted.clear();
        return "+OK\r\n";
      case "NOOP":
        return "+OK\r\n";
      case "QUIT":
        return this.#deleted.size
          ? "+OK Logging out, messages deleted.\r\n"
          : "+OK Logging out.\r\n";
      default:
        return null;
    }
  }

  /** Messages not marked deleted, with their numbers. */
  #live(): [number, MailboxEntry][] {
    return this.#entries.flatMap((e, i) => this.#deleted.has(i + 1) ? [] : [[i + 1, e]]);
  }

  /** The message a number names, or Dovecot's error for it. */
  #find(text: string): [number, MailboxEntry] | string {
    if (!/^\d+$/.test(text)) return `-ERR Invalid message number: ${text}\r\n`;
    const n = Number(text);
    if (n < 1 || n > this.#entries.length) return `-ERR There's no message ${text}.\r\n`;
    if (this.#deleted.has(n)) return "-ERR Message is deleted.\r\n";
    return [n, this.#entries[n - 1]];
  }

  /** Dovecot's default pop3_uidl_format, %08Xu%08Xv. */
  #uidl(entry: MailboxEntry): string {
    const hex = (n: number) => n.toString(16).padStart(8, "0");
    return `${hex(entry.uid)}${hex(this.#mailbox.uidValidity)}`;
  }
}

/** Lines starting with "." get a second one (RFC 1939 byte-stuffing). */
function dotStuffed(text: string): string {
  return text.replace(/(^|\r\n)\./g, "$1..");
}
