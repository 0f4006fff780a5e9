import { headerFields, splitMessage } from "../mail/mod.ts";
import { imapBodyStructure } from "./imap_body_structure.ts";
import { imapEnvelope } from "./imap_envelope.ts";
import type { ImapToken } from "./imap_token.ts";

/** One thing a FETCH asks for. */
export type FetchItem =
  | {
    kind: "UID" | "FLAGS" | "INTERNALDATE" | "RFC822.SIZE" | "ENVELOPE" | "BODY" | "BODYSTRUCTURE";
  }
  | {
    kind: "section";
    /** What the answer is labelled (`BODY[HEADER.FIELDS (SUBJECT)]<0>`, `RFC822`). */
    label: string;
    section: string;
    fields: string[];
    partial?: { start: number; length: number };
    /** Fetching it marks the message `\Seen` (not PEEK, not RFC822.HEADER). */
    setsSeen: boolean;
  };

const MACROS: Record<string, string[]> = {
  ALL: ["FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE"],
  FAST: ["FLAGS", "INTERNALDATE", "RFC822.SIZE"],
  FULL: ["FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE", "BODY"],
};
const SIMPLE = new Set([
  "UID",
  "FLAGS",
  "INTERNALDATE",
  "RFC822.SIZE",
  "ENVELOPE",
  "BODY",
  "BODYSTRUCTURE",
]);
const SECTION_REGEXP = /^(BODY|BODY\.PEEK)\[([^\]]*)\](?:<(\d+)\.(\d+)>)?$/i;

/**
 * The items of a FETCH (an atom or a list; macros expanded), or the
 * reason Dovecot gives for refusing them. Pure.
 *
 * @param token the argument after the sequence set
 * @returns the items, or `{ error }` with Dovecot's text
 * @example
 * ```ts
 * parseFetchItems({ type: "atom", value: "FAST" }); // [FLAGS, INTERNALDATE, RFC822.SIZE]
 * ```
 */
export function parseFetchItems(token: ImapToken | undefined): FetchItem[] | { error: string } {
  if (!token) return { error: "Invalid arguments" };
  if (token.type === "atom" && MACROS[token.value.toUpperCase()]) {
    return MACROS[token.value.toUpperCase()].map((kind) => ({ kind }) as FetchItem);
  }
  const atoms = token.type === "list" ? token.items : [token];
  if (atoms.length === 0) return { error: "Invalid arguments" };
  const items: FetchItem[] = [];
  for (const atom of atoms) {
    if (atom.type !== "atom") return { error: "Invalid arguments" };
    const upper = atom.value.toUpperCase();
    if (SIMPLE.has(upper)) {
      items.push({ kind: upper } as FetchItem);
      continue;
    }
    if (upper === "RFC822" || upper === "RFC822.HEADER" || upper === "RFC822.TEXT") {
      const section = upper === "RFC822" ? "" : upper.slice("RFC822.".length);
      items.push({
        kind: "section",
        label: upper,
        section,
        fields: [],
        setsSeen: upper !== "RFC822.HEADER",
      });
      continue;
    }
    const m = SECTION_REGEXP.exec(atom.value);
    if (!m) {
      if (/^BODY(\.PEEK)?\[/i.test(atom.value)) {
        return { error: "Invalid BODY[..] parameter: Unknown section" };
      }
      return { error: `Unknown parameter: ${upper}` };
    }
    const spec = /^(HEADER\.FIELDS(?:\.NOT)?) \(([^)]*)\)$/i.exec(m[2]);
    const section = (spec ? spec[1] : m[2]).toUpperCase();
    const fields = spec
      ? spec[2].split(" ").filter((f) => f !== "").map((f) => f.toUpperCase())
      : [];
    if (spec ? fields.length === 0 : !["", "HEADER", "TEXT", "1", "1.MIME"].includes(section)) {
      return { error: "Invalid BODY[..] section" };
    }
    const partial = m[3] === undefined ? undefined : { start: Number(m[3]), length: Number(m[4]) };
    const name = spec ? `${section} (${fields.join(" ")})` : section;
    items.push({
      kind: "section",
      label: `BODY[${name}]${partial ? `<${partial.start}>` : ""}`,
      section,
      fields,
      partial,
      setsSeen: m[1].toUpperCase() === "BODY",
    });
  }
  return items;
}

/** What {@linkcode renderFetch} needs of one message. */
export interface FetchedMessage {
  seq: number;
  uid: number;
  raw: string;
  internalDate: Date;
  /** Flags to show, `\Recent` included, in Dovecot's order. */
  flags: readonly string[];
}

/**
 * One `* n FETCH (...)` line as Dovecot orders it: UID first, then the
 * items it writes at once in request order, then body sections and
 * structures (written later, from the message) in request order.
 * Pure.
 *
 * @param message the message and its flags
 * @param items what to send (UID and FLAGS added by the caller when implied)
 * @returns the response, CRLF-terminated
 * @example
 * ```ts
 * renderFetch({ seq: 1, uid: 1, raw: "", internalDate: new Date(0), flags: [] }, [{ kind: "UID" }]);
 * // "* 1 FETCH (UID 1)\r\n"
 * ```
 */
export function renderFetch(message: FetchedMessage, items: readonly FetchItem[]): string {
  const inline: string[] = [];
  const literals: string[] = [];
  if (items.some((i) => i.kind === "UID")) inline.push(`UID ${message.uid}`);
  for (const item of items) {
    switch (item.kind) {
      case "UID":
        break;
      case "FLAGS":
        inline.push(`FLAGS (${message.flags.join(" ")})`);
        break;
      case "INTERNALDATE":
        inline.push(`INTERNALDATE "${internalDate(message.internalDate)}"`);
        break;
      case "RFC822.SIZE":
        inline.push(`RFC822.SIZE ${message.raw.length}`);
        break;
      case "ENVELOPE":
        inline.push(`ENVELOPE ${imapEnvelope(message.raw)}`);
        break;
      case "BODY":
      case "BODYSTRUCTURE":
        literals.push(
          `${item.kind} ${imapBodyStructure(message.raw, item.kind === "BODYSTRUCTURE")}`,
        );
        break;
      case "section": {
        let data = sectionText(message.raw, item.section, item.fields);
        if (item.partial) {
          data = data.slice(item.partial.start, item.partial.start + item.partial.length);
        }
        literals.push(`${item.label} {${data.length}}\r\n${data}`);
        break;
      }
    }
  }
  return `* ${message.seq} FETCH (${[...inline, ...literals].join(" ")})\r\n`;
}

function sectionText(raw: string, section: string, fields: readonly string[]): string {
  const { header, body } = splitMessage(raw);
  switch (section) {
    case "":
      return raw;
    case "HEADER":
    case "1.MIME": // a single-part message's one part has the message's header
      return header;
    case "TEXT":
    case "1":
      return body;
    default: {
      const not = section.endsWith(".NOT");
      const wanted = new Set(fields);
      return headerFields(header)
        .filter((f) => wanted.has(f.name.toUpperCase()) !== not)
        .map((f) => f.text)
        .join("") + "\r\n";
    }
  }
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `30-Nov-2026 09:12:44 +0000` (the decky's clock is UTC). */
function internalDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}
