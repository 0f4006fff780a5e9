import type { SensorSession } from "../sensor_service.ts";
import { type Mailbox, type MailboxEntry, sessionSpool } from "../mail/mod.ts";
import { IMAP_CAPABILITIES } from "./imap_capabilities.ts";
import { type FetchItem, parseFetchItems, renderFetch } from "./imap_fetch.ts";
import { esearchResult, parseSearchReturn } from "./imap_esearch.ts";
import { parseImapSearch } from "./imap_search.ts";
import { parseSequenceSet, sequenceSetMax } from "./imap_sequence_set.ts";
import { type ImapToken, tokenText } from "./imap_token.ts";

/** A mailbox a session has open: its own view of the messages. */
interface Selected {
  mailbox: Mailbox;
  readWrite: boolean;
  /** Messages in sequence order (EXPUNGE removes from this view only). */
  entries: MailboxEntry[];
  recent: Set<number>;
}

const SYSTEM_FLAGS = ["\\Answered", "\\Flagged", "\\Deleted", "\\Seen", "\\Draft"];
// The imap process drops a client after this many bad commands.
const MAX_BAD = 20;
// Commands Dovecot knows but this INBOX-only store cannot carry out.
const STORAGE_COMMANDS = new Set(["CREATE", "DELETE", "RENAME", "APPEND", "COPY", "MOVE"]);

/** Dovecot's answer to a command it refuses: BAD with its reason. */
class ImapBad extends Error {}

/**
 * The logged-in half of the IMAP sensor: the user's INBOX (the only
 * mailbox, as on a stock Debian Dovecot with an empty `~/mail`) with
 * SELECT/EXAMINE, LIST/LSUB, STATUS, FETCH, SEARCH, STORE and UID variants,
 * answered in Dovecot's words, completion times included. Flags clients set
 * stay in memory; nothing is written to the spool.
 *
 * @example
 * ```ts
 * import type { SensorSession } from "../sensor_service.ts";
 * declare const session: SensorSession;
 * const mail = await ImapMailSession.open(session, "ana");
 * await mail.run("a1", "SELECT", [{ type: "atom", value: "INBOX" }]);
 * ```
 */
export class ImapMailSession {
  readonly #session: SensorSession;
  readonly #username: string;
  #selected: Selected | null = null;
  #bad = 0;
  /** The tag of the command being answered (ESEARCH names it). */
  #tag = "";

  private constructor(session: SensorSession, username: string) {
    this.#session = session;
    this.#username = username;
  }

  /** Starts the logged-in session of `username`. */
  static open(session: SensorSession, username: string): Promise<ImapMailSession> {
    return Promise.resolve(new ImapMailSession(session, username));
  }

  /**
   * Answers one command.
   *
   * @param tag the client's tag
   * @param name the command name as sent
   * @param args its arguments, or null when they could not be parsed
   * @param refusal answer BAD with this text whatever the command
   * @returns false when the connection is to be closed
   */
  async run(
    tag: string,
    name: string,
    args: ImapToken[] | null,
    refusal?: string,
  ): Promise<boolean> {
    const started = this.#session.now().getTime();
    const upper = name.toUpperCase();
    this.#tag = tag;
    let reply: string;
    try {
      if (refusal) throw new ImapBad(refusal);
      if (name === "") throw new ImapBad("Error in IMAP command: Invalid command name");
      if (args === null) throw new ImapBad(`Error in IMAP command ${upper}: Invalid arguments`);
      if (upper === "LOGOUT") {
        await this.#session.write(
          `* BYE Logging out\r\n${tag} OK Logout completed ${this.#took(started)}.\r\n`,
        );
        return false;
      }
      if (upper === "IDLE") return await this.#idle(tag, started);
      const [text, done] = await this.#dispatch(upper, name, args);
      reply = `${text}${tag} ${done} ${this.#took(started)}.\r\n`;
    } catch (e) {
      if (!(e instanceof ImapBad)) throw e;
      // Only commands Dovecot could not parse count towards the limit.
      if (e.message.startsWith("Error in IMAP") && ++this.#bad >= MAX_BAD) {
        await this.#session.write("* BYE Too many invalid IMAP commands.\r\n");
        return false;
      }
      reply = `${tag} BAD ${e.message} ${this.#took(started)}.\r\n`;
    }
    await this.#session.write(reply);
    return true;
  }

  /**
   * Answers a line whose tag is missing or invalid.
   *
   * @returns false when the connection is to be closed
   */
  refuseTag(): Promise<boolean> {
    return this.run("*", "", null, "Error in IMAP tag: Invalid tag");
  }

  /** Untagged lines and the tagged completion (without its times). */
  async #dispatch(upper: string, name: string, args: ImapToken[]): Promise<[string, string]> {
    const bad = (reason: string) => new ImapBad(`Error in IMAP command ${upper}: ${reason}`);
    switch (upper) {
      case "CAPABILITY":
        return [`* CAPABILITY ${IMAP_CAPABILITIES}\r\n`, "OK Capability completed"];
      case "NOOP":
        return ["", "OK NOOP completed"];
      case "ID":
        return ['* ID ("name" "Dovecot")\r\n', "OK ID completed"];
      case "NAMESPACE":
        return ['* NAMESPACE (("" "/")) NIL NIL\r\n', "OK Namespace completed"];
      case "ENABLE": {
        const known = args.map(tokenText).filter((a) => a && /^(CONDSTORE|QRESYNC)$/i.test(a));
        return [known.length ? `* ENABLED ${known.join(" ").toUpperCase()}\r\n` : "", "OK Enabled"];
      }
      case "SELECT":
      case "EXAMINE":
        return await this.#select(upper, args);
      case "LIST":
        return this.#list(args);
      case "LSUB":
        if (args.length < 2) throw bad("Invalid arguments");
        return ["", "OK Lsub completed"];
      case "SUBSCRIBE":
      case "UNSUBSCRIBE":
        if (args.length !== 1) throw bad("Invalid arguments");
        return ["", `OK ${upper[0]}${upper.slice(1).toLowerCase()} completed`];
      case "STATUS":
        return await this.#status(args);
      case "CHECK":
      case "CLOSE":
      case "UNSELECT":
      case "EXPUNGE":
      case "FETCH":
      case "STORE":
      case "SEARCH":
      case "UID":
        return this.#inSelected(upper, args);
      default:
        if (STORAGE_COMMANDS.has(upper)) return this.#storage(upper, args);
        throw new ImapBad(`Error in IMAP command ${name}: Unknown command`);
    }
  }

  #inSelected(upper: string, args: ImapToken[]): [string, string] {
    const selected = this.#selected;
    if (!selected) throw new ImapBad("No mailbox selected");
    switch (upper) {
      case "CHECK":
        return ["", "OK Check completed"];
      case "CLOSE":
      case "UNSELECT":
        this.#selected = null;
        return ["", `OK ${upper === "CLOSE" ? "Close" : "Unselect"} completed`];
      case "EXPUNGE":
        return [this.#expunge(selected), "OK Expunge completed"];
      case "UID": {
        const sub = tokenText(args[0])?.toUpperCase();
        if (sub !== "FETCH" && sub !== "SEARCH" && sub !== "STORE") {
          throw new ImapBad(`Error in IMAP command UID${sub ? ` ${sub}` : ""}: Unknown command`);
        }
        return this.#mailCommand(selected, sub, args.slice(1), true);
      }
      default:
        return this.#mailCommand(selected, upper, args, false);
    }
  }

  #mailCommand(
    selected: Selected,
    upper: string,
    args: ImapToken[],
    uid: boolean,
  ): [string, string] {
    const label = uid ? `UID ${upper}` : upper;
    const bad = (reason: string) => new ImapBad(`Error in IMAP command ${label}: ${reason}`);
    if (upper === "SEARCH") {
      const esearch = parseSearchReturn(args);
      if (esearch) args = args.slice(2);
      const test = parseImapSearch(args, {
        maxSeq: selected.entries.length,
        maxUid: selected.entries.at(-1)?.uid ?? 0,
      });
      if ("error" in test) throw bad(test.error);
      const found = selected.entries.flatMap((entry, i) => {
        const message = {
          seq: i + 1,
          uid: entry.uid,
          ...entry.message,
          flags: new Set(this.#flags(selected, entry)),
        };
        return test(message) ? [uid ? entry.uid : i + 1] : [];
      });
      const line = esearch
        ? `* ESEARCH (TAG "${this.#tag}")${uid ? " UID" : ""}${esearchResult(esearch, found)}\r\n`
        : `* SEARCH${found.map((n) => ` ${n}`).join("")}\r\n`;
      return [line, "OK Search completed"];
    }
    const set = tokenText(args[0]);
    if (set === null || args.length < 2) throw bad("Invalid arguments");
    const targets = this.#targets(selected, set, uid, bad);
    if (upper === "STORE") return this.#store(selected, targets, args.slice(1), uid, bad);
    const items = parseFetchItems(
      args.length === 2 ? args[1] : { type: "list", items: args.slice(1) },
    );
    if ("error" in items) throw bad(items.error);
    if (uid && !items.some((i) => i.kind === "UID")) items.unshift({ kind: "UID" });
    let out = "";
    for (const [seq, entry] of targets) {
      const shown: FetchItem[] = [...items];
      const marks = selected.readWrite && items.some((i) => i.kind === "section" && i.setsSeen);
      if (marks && !selected.mailbox.flags(entry.uid).has("\\Seen")) {
        selected.mailbox.addFlag(entry.uid, "\\Seen");
        if (!items.some((i) => i.kind === "FLAGS")) shown.push({ kind: "FLAGS" });
      }
      out += renderFetch({
        seq,
        uid: entry.uid,
        ...entry.message,
        flags: this.#flags(selected, entry),
      }, shown);
    }
    return [out, "OK Fetch completed"];
  }

  /** The messages a sequence or UID set names, with their sequence numbers. */
  #targets(
    selected: Selected,
    set: string,
    uid: boolean,
    bad: (reason: string) => ImapBad,
  ): [number, MailboxEntry][] {
    const entries = selected.entries;
    const inSet = parseSequenceSet(set, uid ? entries.at(-1)?.uid ?? 0 : entries.length);
    if (!inSet) throw bad(uid ? "Invalid uidset" : "Invalid messageset");
    if (!uid && sequenceSetMax(set) > entries.length) throw bad("Invalid messageset");
    return entries.flatMap((entry, i) => inSet(uid ? entry.uid : i + 1) ? [[i + 1, entry]] : []);
  }

  #store(
    selected: Selected,
    targets: [number, MailboxEntry][],
    args: ImapToken[],
    uid: boolean,
    bad: (reason: string) => ImapBad,
  ): [string, string] {
    const op = /^([+-]?)FLAGS(\.SILENT)?$/i.exec(tokenText(args[0]) ?? "");
    if (!op || args.length < 2) throw bad("Invalid arguments");
    if (!selected.readWrite) return ["", "OK Store ignored with read-only mailbox"];
    const listed = args[1].type === "list" ? args[1].items : args.slice(1);
    const flags = listed.map(tokenText).flatMap((f) => {
      const known = SYSTEM_FLAGS.find((s) => s.toLowerCase() === f?.toLowerCase());
      return known ? [known] : [];
    });
    let out = "";
    for (const [seq, entry] of targets) {
      if (op[1] !== "+") {
        for (const flag of SYSTEM_FLAGS) {
          if (op[1] === "" ? !flags.includes(flag) : flags.includes(flag)) {
            selected.mailbox.removeFlag(entry.uid, flag);
          }
        }
      }
      if (op[1] !== "-") { for (const flag of flags) selected.mailbox.addFlag(entry.uid, flag); }
      if (!op[2]) {
        const shown = `FLAGS (${this.#flags(selected, entry).join(" ")})`;
        out += `* ${seq} FETCH (${uid ? `UID ${entry.uid} ` : ""}${shown})\r\n`;
      }
    }
    return [out, "OK Store completed"];
  }

  #expunge(selected: Selected): string {
    let out = "";
    const recent = selected.recent.size;
    for (let i = selected.entries.length - 1; i >= 0; i--) {
      if (!selected.mailbox.flags(selected.entries[i].uid).has("\\Deleted")) continue;
      selected.mailbox.expunge(selected.entries[i].uid);
      selected.recent.delete(selected.entries[i].uid);
      selected.entries.splice(i, 1);
      out += `* ${i + 1} EXPUNGE\r\n`;
    }
    // Dovecot reports RECENT again only when the count changed.
    return recent === selected.recent.size ? out : `${out}* ${selected.recent.size} RECENT\r\n`;
  }

  async #select(upper: string, args: ImapToken[]): Promise<[string, string]> {
    let out = "";
    if (this.#selected) {
      this.#selected = null;
      out = "* OK [CLOSED] Previous mailbox closed.\r\n";
    }
    const name = tokenText(args[0]);
    if (name === null || args.length !== 1) {
      await this.#session.write(out);
      throw new ImapBad(`Error in IMAP command ${upper}: Invalid arguments`);
    }
    if (name.toUpperCase() !== "INBOX") return [out, `NO Mailbox doesn't exist: ${name}`];
    const readWrite = upper === "SELECT";
    const mailbox = await sessionSpool(this.#session).mailbox(this.#username);
    const selected: Selected = {
      mailbox,
      readWrite,
      entries: [...mailbox.entries],
      recent: mailbox.claimRecent(readWrite),
    };
    this.#selected = selected;
    const firstUnseen = selected.entries.findIndex((e) => !mailbox.flags(e.uid).has("\\Seen"));
    out += `* FLAGS (${SYSTEM_FLAGS.join(" ")})\r\n` +
      (readWrite
        ? `* OK [PERMANENTFLAGS (${SYSTEM_FLAGS.join(" ")} \\*)] Flags permitted.\r\n`
        : "* OK [PERMANENTFLAGS ()] Read-only mailbox.\r\n") +
      `* ${selected.entries.length} EXISTS\r\n* ${selected.recent.size} RECENT\r\n` +
      (firstUnseen >= 0 ? `* OK [UNSEEN ${firstUnseen + 1}] First unseen.\r\n` : "") +
      `* OK [UIDVALIDITY ${mailbox.uidValidity}] UIDs valid\r\n` +
      `* OK [UIDNEXT ${mailbox.uidNext}] Predicted next UID\r\n`;
    return [
      out,
      readWrite ? "OK [READ-WRITE] Select completed" : "OK [READ-ONLY] Examine completed",
    ];
  }

  #list(args: ImapToken[]): [string, string] {
    // LIST-EXTENDED selection options, e.g. LIST (SPECIAL-USE) "" *: no INBOX is special-use.
    if (args[0]?.type === "list") return ["", "OK List completed"];
    const reference = tokenText(args[0]);
    const pattern = tokenText(args[1]);
    if (reference === null) throw new ImapBad("Error in IMAP command LIST: Invalid reference");
    if (pattern === null) throw new ImapBad("Error in IMAP command LIST: Invalid pattern");
    if (pattern === "") return ['* LIST (\\Noselect) "/" ""\r\n', "OK List completed"];
    const wanted = wildcardRegExp(reference + pattern);
    const out = wanted.test("INBOX") ? '* LIST (\\HasNoChildren) "/" INBOX\r\n' : "";
    return [out, "OK List completed"];
  }

  async #status(args: ImapToken[]): Promise<[string, string]> {
    const name = tokenText(args[0]);
    const items = args[1];
    if (name === null || !items || items.type !== "list") {
      throw new ImapBad("Error in IMAP command STATUS: Missing arguments");
    }
    const wanted = items.items.map((i) => (tokenText(i) ?? "").toUpperCase());
    const unknown = wanted.find((w) =>
      !["MESSAGES", "RECENT", "UIDNEXT", "UIDVALIDITY", "UNSEEN", "SIZE"].includes(w)
    );
    if (unknown !== undefined) {
      throw new ImapBad(`Error in IMAP command STATUS: Invalid status item ${unknown}`);
    }
    if (name.toUpperCase() !== "INBOX") return ["", `NO Mailbox doesn't exist: ${name}`];
    const mailbox = await sessionSpool(this.#session).mailbox(this.#username);
    const entries = mailbox.entries;
    const recent = this.#selected?.recent.size ?? mailbox.claimRecent(false).size;
    const values: Record<string, number> = {
      MESSAGES: entries.length,
      RECENT: recent,
      UIDNEXT: mailbox.uidNext,
      UIDVALIDITY: mailbox.uidValidity,
      UNSEEN: entries.filter((e) => !mailbox.flags(e.uid).has("\\Seen")).length,
      SIZE: entries.reduce((sum, e) => sum + e.message.raw.length, 0),
    };
    const line = `* STATUS INBOX (${wanted.map((w) => `${w} ${values[w]}`).join(" ")})\r\n`;
    return [
      line,
      this.#selected
        ? "OK [CLIENTBUG] Status on selected mailbox completed"
        : "OK Status completed",
    ];
  }

  /**
   * Mailbox changes, answered as Dovecot would and forgotten: the spool is
   * the decky's, and the sensor only reads it.
   */
  #storage(upper: string, args: ImapToken[]): [string, string] {
    const name = tokenText(args[upper === "COPY" || upper === "MOVE" ? 1 : 0]);
    if (name === null) throw new ImapBad(`Error in IMAP command ${upper}: Invalid arguments`);
    const inbox = name.toUpperCase() === "INBOX";
    switch (upper) {
      case "CREATE":
        return ["", inbox ? "NO Mailbox already exists" : "OK Create completed"];
      case "DELETE":
      case "RENAME":
        return ["", inbox ? "NO INBOX can't be deleted." : `NO Mailbox doesn't exist: ${name}`];
      case "APPEND": {
        if (!inbox) return ["", `NO [TRYCREATE] Mailbox doesn't exist: ${name}`];
        const mailbox = this.#selected?.mailbox;
        const code = mailbox ? `[APPENDUID ${mailbox.uidValidity} ${mailbox.uidNext}] ` : "";
        return ["", `OK ${code}Append completed`];
      }
      default:
        if (!this.#selected) throw new ImapBad("No mailbox selected");
        return [
          "",
          inbox
            ? `OK ${upper === "COPY" ? "Copy" : "Move"} completed`
            : `NO [TRYCREATE] Mailbox doesn't exist: ${name}`,
        ];
    }
  }

  async #idle(tag: string, started: number): Promise<boolean> {
    await this.#session.write("+ idling\r\n");
    const line = await this.#session.reader.readLine(1024);
    if (line === null) return false;
    const done = line.toUpperCase() === "DONE" ? "OK Idle completed" : "BAD Expected DONE.";
    await this.#session.write(`${tag} ${done} ${this.#took(started)}.\r\n`);
    return true;
  }

  /** Flags of a message in Dovecot's order, `\Recent` last when it is recent to this session. */
  #flags(selected: Selected, entry: MailboxEntry): string[] {
    const stored = selected.mailbox.flags(entry.uid);
    const flags = SYSTEM_FLAGS.filter((f) => stored.has(f));
    if (selected.recent.has(entry.uid)) flags.push("\\Recent");
    return flags;
  }

  /** Dovecot's `(0.001 + 0.000 secs)`: time spent, then time waiting on locks. */
  #took(started: number): string {
    const ms = Math.max(1, this.#session.now().getTime() - started);
    return `(${(ms / 1000).toFixed(3)} + 0.000 secs)`;
  }
}

/** An IMAP LIST pattern (`*` anything, `%` anything but the separator) as a RegExp. */
function wildcardRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(
    /%/g,
    "[^/]*",
  );
  return new RegExp(`^${body}$`, "i");
}
