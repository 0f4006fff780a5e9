import type { MailMessage } from "./mail_message.ts";
import { storedMessage } from "./stored_message.ts";

const FROM_LINE_REGEXP = /^From \S+\s+(.*)$/;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * The messages of an mbox file (what Dovecot's LDA writes to
 * `/var/mail/<user>` on Debian): split on `From ` lines, the blank line
 * that separates messages dropped, each message's delivery time read from
 * its `From ` line (UTC, as the LDA writes it). Pure.
 *
 * @param text the file, decoded as latin1
 * @returns messages in file order
 * @example
 * ```ts
 * parseMbox("From a@b  Mon Nov 30 09:12:44 2026\nSubject: hi\n\nbody\n\n");
 * // [{ raw: "Subject: hi\r\n\r\nbody\r\n", internalDate: 2026-11-30T09:12:44Z, flags: [] }]
 * ```
 */
export function parseMbox(text: string): MailMessage[] {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const out: MailMessage[] = [];
  let date: Date | null = null;
  let body: string[] = [];
  const flush = () => {
    if (date === null) return;
    // The blank line before the next "From " belongs to the mbox, not the message.
    if (body.length > 0 && body.at(-1)!.replace(/\r$/, "") === "") body.pop();
    out.push(storedMessage(body.map((l) => l.replace(/\r$/, "")), date));
  };
  for (const line of lines) {
    const from = FROM_LINE_REGEXP.exec(line);
    if (from) {
      flush();
      date = parseFromLineDate(from[1]) ?? new Date(0);
      body = [];
    } else if (date !== null) {
      body.push(line);
    }
  }
  flush();
  return out;
}

/** `Mon Nov 30 09:12:44 2026` (asctime, UTC) -> Date, or null. */
function parseFromLineDate(text: string): Date | null {
  const m = /^\w{3} (\w{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})/.exec(text.trim());
  if (!m) return null;
  const month = MONTHS.indexOf(m[1]);
  if (month < 0) return null;
  return new Date(Date.UTC(+m[6], month, +m[2], +m[3], +m[4], +m[5]));
}
