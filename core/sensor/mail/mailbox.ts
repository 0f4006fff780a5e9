import type { MailMessage } from "./mail_message.ts";

/** A message of a {@linkcode Mailbox} with its UID. */
export interface MailboxEntry {
  uid: number;
  message: MailMessage;
}

/**
 * One user's INBOX as the sensor serves it: the spool's messages with UIDs
 * in delivery order, and the flag changes clients made (kept in memory,
 * never written back: the spool belongs to the decky), expunged messages
 * included. As in Dovecot, a
 * message is `\Recent` to the first session that selects the mailbox after
 * it arrived.
 */
export class Mailbox {
  /** Dovecot stamps a new mbox with its creation time. */
  readonly uidValidity: number;
  #entries: MailboxEntry[] = [];
  #flags = new Map<number, Set<string>>();
  #expunged = new Set<number>();
  #recentClaimedUpTo = 0;

  constructor(messages: readonly MailMessage[], uidValidity: number) {
    this.uidValidity = uidValidity;
    this.replace(messages);
  }

  /** Messages in UID order. */
  get entries(): readonly MailboxEntry[] {
    return this.#entries.filter((e) => !this.#expunged.has(e.uid));
  }

  get uidNext(): number {
    return (this.#entries.at(-1)?.uid ?? 0) + 1;
  }

  /** Hides a message from every later session (the spool keeps it). */
  expunge(uid: number): void {
    this.#expunged.add(uid);
  }

  /**
   * Takes a fresh read of the spool: messages keep their UID by position
   * (mail is appended), so flags set by clients survive new deliveries.
   */
  replace(messages: readonly MailMessage[]): void {
    this.#entries = messages.map((message, i) => ({ uid: i + 1, message }));
    for (const { uid, message } of this.#entries) {
      if (!this.#flags.has(uid)) this.#flags.set(uid, new Set(message.flags));
    }
  }

  /** The stored flags of a message (never `\Recent`, which is per session). */
  flags(uid: number): ReadonlySet<string> {
    return this.#flags.get(uid) ?? new Set();
  }

  addFlag(uid: number, flag: string): void {
    this.#flags.get(uid)?.add(flag);
  }

  removeFlag(uid: number, flag: string): void {
    this.#flags.get(uid)?.delete(flag);
  }

  /**
   * UIDs that are `\Recent` for a session selecting the mailbox now; a
   * read-write session claims them, so later sessions see them as old.
   */
  claimRecent(readWrite: boolean): Set<number> {
    // A read-only look (EXAMINE, STATUS) sees them as recent without taking them.
    const recent = new Set(
      this.entries.filter((e) => e.uid > this.#recentClaimedUpTo).map((e) => e.uid),
    );
    if (readWrite) this.#recentClaimedUpTo = this.uidNext - 1;
    return recent;
  }
}
