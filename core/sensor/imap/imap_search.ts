import { headerValue, splitMessage } from "../mail/mod.ts";
import { parseSequenceSet } from "./imap_sequence_set.ts";
import { type ImapToken, tokenText } from "./imap_token.ts";

/** What a search key is tested against. */
export interface SearchedMessage {
  seq: number;
  uid: number;
  raw: string;
  internalDate: Date;
  /** Flags with `\Recent` when it applies. */
  flags: ReadonlySet<string>;
}

/** A compiled search: true for the messages it matches. */
export type SearchTest = (message: SearchedMessage) => boolean;

/** Bounds {@linkcode parseImapSearch} needs for `*` in sets. */
export interface SearchBounds {
  maxSeq: number;
  maxUid: number;
}

const FLAG_KEYS: Record<string, [string, boolean]> = {
  ANSWERED: ["\\Answered", true],
  DELETED: ["\\Deleted", true],
  DRAFT: ["\\Draft", true],
  FLAGGED: ["\\Flagged", true],
  SEEN: ["\\Seen", true],
  RECENT: ["\\Recent", true],
  UNANSWERED: ["\\Answered", false],
  UNDELETED: ["\\Deleted", false],
  UNDRAFT: ["\\Draft", false],
  UNFLAGGED: ["\\Flagged", false],
  UNSEEN: ["\\Seen", false],
  OLD: ["\\Recent", false],
};
const HEADER_KEYS = new Set(["FROM", "TO", "CC", "BCC", "SUBJECT"]);
const DATE_KEYS = new Set(["SINCE", "BEFORE", "ON", "SENTSINCE", "SENTBEFORE", "SENTON"]);
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/**
 * Compiles a SEARCH's keys (RFC 3501's basic set: flags, header text,
 * BODY/TEXT, dates, sizes, sequence and UID sets, NOT, OR, lists) into a
 * test, or the reason Dovecot gives for refusing them. Pure.
 *
 * @param args the arguments after SEARCH (a leading CHARSET is skipped)
 * @param bounds the mailbox's highest sequence number and UID
 * @returns the test, or `{ error }` with Dovecot's text
 * @example
 * ```ts
 * const test = parseImapSearch([{ type: "atom", value: "UNSEEN" }], { maxSeq: 2, maxUid: 2 });
 * ```
 */
export function parseImapSearch(args: readonly ImapToken[], bounds: SearchBounds): SearchTest | {
  error: string;
} {
  let rest = [...args];
  if (tokenText(rest[0])?.toUpperCase() === "CHARSET") rest = rest.slice(2);
  if (rest.length === 0) return { error: "Missing search parameters" };
  try {
    const tests: SearchTest[] = [];
    while (rest.length) tests.push(parseKey(rest, bounds));
    return (m) => tests.every((t) => t(m));
  } catch (e) {
    if (e instanceof SearchKeyError) return { error: e.message };
    throw e;
  }
}

class SearchKeyError extends Error {}

function parseKey(rest: ImapToken[], bounds: SearchBounds): SearchTest {
  const token = rest.shift();
  if (!token) throw new SearchKeyError("Missing argument");
  if (token.type === "list") {
    if (token.items.length === 0) throw new SearchKeyError("Missing search parameters");
    const inner = [...token.items];
    const tests: SearchTest[] = [];
    while (inner.length) tests.push(parseKey(inner, bounds));
    return (m) => tests.every((t) => t(m));
  }
  const key = token.value.toUpperCase();
  const arg = () => {
    const value = tokenText(rest.shift());
    if (value === null) throw new SearchKeyError(`Missing parameter for ${key}`);
    return value;
  };
  if (key === "ALL") return () => true;
  if (key === "NEW") return (m) => m.flags.has("\\Recent") && !m.flags.has("\\Seen");
  if (FLAG_KEYS[key]) {
    const [flag, want] = FLAG_KEYS[key];
    return (m) => m.flags.has(flag) === want;
  }
  if (key === "KEYWORD" || key === "UNKEYWORD") {
    arg(); // no keywords are ever set here
    return () => key === "UNKEYWORD";
  }
  if (HEADER_KEYS.has(key)) {
    const needle = arg().toLowerCase();
    return (m) =>
      (headerValue(splitMessage(m.raw).header, key) ?? "").toLowerCase().includes(needle);
  }
  if (key === "HEADER") {
    const name = arg();
    const needle = arg().toLowerCase();
    return (m) => {
      const value = headerValue(splitMessage(m.raw).header, name);
      return value !== null && value.toLowerCase().includes(needle);
    };
  }
  if (key === "BODY") {
    const needle = arg().toLowerCase();
    return (m) => splitMessage(m.raw).body.toLowerCase().includes(needle);
  }
  if (key === "TEXT") {
    const needle = arg().toLowerCase();
    return (m) => m.raw.toLowerCase().includes(needle);
  }
  if (DATE_KEYS.has(key)) {
    const day = parseSearchDate(arg());
    if (day === null) throw new SearchKeyError("Invalid search date parameter");
    const sent = key.startsWith("SENT");
    const dayOf = (m: SearchedMessage) => {
      const date = sent ? sentDate(m) : m.internalDate;
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
    };
    if (key.endsWith("SINCE")) return (m) => dayOf(m) >= day;
    if (key.endsWith("BEFORE")) return (m) => dayOf(m) < day;
    return (m) => dayOf(m) === day;
  }
  if (key === "LARGER" || key === "SMALLER") {
    const size = Number(arg());
    if (!Number.isInteger(size) || size < 0) throw new SearchKeyError(`Invalid size for ${key}`);
    return key === "LARGER" ? (m) => m.raw.length > size : (m) => m.raw.length < size;
  }
  if (key === "NOT") {
    const test = parseKey(rest, bounds);
    return (m) => !test(m);
  }
  if (key === "OR") {
    const a = parseKey(rest, bounds);
    const b = parseKey(rest, bounds);
    return (m) => a(m) || b(m);
  }
  if (key === "UID") {
    const inSet = parseSequenceSet(arg(), bounds.maxUid);
    if (!inSet) throw new SearchKeyError("Invalid UID messageset");
    return (m) => inSet(m.uid);
  }
  const inSet = parseSequenceSet(key, bounds.maxSeq);
  if (inSet) return (m) => inSet(m.seq);
  throw new SearchKeyError(`Unknown argument ${key}`);
}

/** `1-Dec-2026` -> UTC midnight in ms, or null. */
function parseSearchDate(text: string): number | null {
  const m = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(text);
  if (!m) return null;
  const month = MONTHS.indexOf(m[2].toLowerCase());
  if (month < 0) return null;
  return Date.UTC(Number(m[3]), month, Number(m[1]));
}

function sentDate(m: SearchedMessage): Date {
  const value = headerValue(splitMessage(m.raw).header, "date");
  const parsed = value ? new Date(value) : null;
  return parsed && !Number.isNaN(parsed.getTime()) ? parsed : m.internalDate;
}
