import { headerValue, splitMessage } from "../mail/mod.ts";
import { imapString } from "./imap_string.ts";

/**
 * A message's ENVELOPE as Dovecot writes it: date, subject, from, sender,
 * reply-to (the last two default to from), to, cc, bcc, in-reply-to,
 * message-id; header values raw (encoded words are not decoded), folding
 * removed. Pure.
 *
 * @param raw the message (CRLF)
 * @returns the parenthesised envelope
 * @example
 * ```ts
 * imapEnvelope("Subject: hi\r\nFrom: Tom <tom@example.com>\r\n\r\n");
 * // '(NIL "hi" (("Tom" NIL "tom" "example.com")) ... NIL NIL)'
 * ```
 */
export function imapEnvelope(raw: string): string {
  const { header } = splitMessage(raw);
  const value = (name: string) => headerValue(header, name);
  const from = addressList(value("from"));
  const fields = [
    imapString(value("date")),
    imapString(value("subject")),
    from,
    addressList(value("sender")) === "NIL" ? from : addressList(value("sender")),
    addressList(value("reply-to")) === "NIL" ? from : addressList(value("reply-to")),
    addressList(value("to")),
    addressList(value("cc")),
    addressList(value("bcc")),
    imapString(value("in-reply-to")),
    imapString(value("message-id")),
  ];
  return `(${fields.join(" ")})`;
}

/** `Name <local@host>, other@host` -> `(("Name" NIL "local" "host")(NIL NIL "other" "host"))`. */
function addressList(text: string | null): string {
  if (text === null || text.trim() === "") return "NIL";
  const out: string[] = [];
  for (const piece of splitAddresses(text)) {
    const angle = /^(.*)<([^>]*)>\s*$/.exec(piece);
    const name = angle ? unquote(angle[1].trim()) : "";
    const address = (angle ? angle[2] : piece.replace(/\([^)]*\)/g, "")).trim();
    const at = address.lastIndexOf("@");
    const local = at < 0 ? address : address.slice(0, at);
    const host = at < 0 ? "" : address.slice(at + 1);
    if (local === "" && host === "") continue;
    out.push(
      `(${name ? imapString(name) : "NIL"} NIL ${imapString(local)} ${
        host ? imapString(host) : "NIL"
      })`,
    );
  }
  return out.length ? `(${out.join("")})` : "NIL";
}

/** Splits on commas outside quotes and angle brackets. */
function splitAddresses(text: string): string[] {
  const out: string[] = [];
  let current = "";
  let quoted = false;
  let angle = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\\" && quoted) {
      current += c + (text[++i] ?? "");
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (!quoted && c === "<") angle = true;
    if (!quoted && c === ">") angle = false;
    if (c === "," && !quoted && !angle) {
      if (current.trim()) out.push(current.trim());
      current = "";
    } else {
      current += c;
    }
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

function unquote(name: string): string {
  const m = /^"(.*)"$/.exec(name);
  return m ? m[1].replace(/\\(.)/g, "$1") : name;
}
