import type { MailMessage } from "./mail_message.ts";

// Headers Dovecot keeps in an mbox for itself and never shows a client.
const STORE_HEADERS = new Set([
  "x-imap",
  "x-imapbase",
  "x-uid",
  "status",
  "x-status",
  "x-keywords",
  "content-length",
]);

/**
 * A message from its stored lines (no line ends): the store's own headers
 * (Status, X-UID, ...) dropped and turned into flags, CRLF line ends.
 * Pure.
 *
 * @param lines the message's lines as stored
 * @param internalDate its delivery time
 * @param extraFlags flags the store keeps elsewhere (Maildir file name)
 * @returns the message as served
 * @example
 * ```ts
 * storedMessage(["Status: RO", "Subject: hi", "", "body"], new Date(0)).flags; // ["\\Seen"]
 * ```
 */
export function storedMessage(
  lines: readonly string[],
  internalDate: Date,
  extraFlags: readonly string[] = [],
): MailMessage {
  const flags = new Set(extraFlags);
  const kept: string[] = [];
  let inHeader = true;
  let dropping = false;
  for (const line of lines) {
    if (inHeader) {
      if (line === "") {
        inHeader = false;
      } else if (/^[ \t]/.test(line)) {
        if (dropping) continue;
      } else {
        const name = line.slice(0, line.indexOf(":")).toLowerCase();
        dropping = line.includes(":") && STORE_HEADERS.has(name);
        if (dropping) {
          const value = line.slice(line.indexOf(":") + 1).trim();
          if (name === "status" && value.includes("R")) flags.add("\\Seen");
          if (name === "x-status") {
            if (value.includes("A")) flags.add("\\Answered");
            if (value.includes("F")) flags.add("\\Flagged");
            if (value.includes("D")) flags.add("\\Deleted");
            if (value.includes("T")) flags.add("\\Draft");
          }
          continue;
        }
      }
    }
    kept.push(line);
  }
  return { raw: kept.map((l) => `${l}\r\n`).join(""), internalDate, flags: [...flags] };
}
