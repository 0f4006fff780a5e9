import type { Alert } from "../alert.ts";
import { printable } from "./_printable.ts";
import { alertText } from "./alert_text.ts";

/** Options for {@linkcode mailMessage}. */
export interface MailMessageOptions {
  from: string;
  to: readonly string[];
  /** The send time (the `Date:` header). */
  now: Date;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const encoder = new TextEncoder();

/**
 * The alert as an RFC 5322 message with CRLF line ends, ready for SMTP DATA
 * (before dot-stuffing): `From`, `To`, `Subject` (`[severity] title`, RFC
 * 2047 encoded when not ASCII), `Date`, `Message-ID` (from the alert id, so a
 * retried alert keeps its id), `Auto-Submitted: auto-generated`,
 * `X-Decnet-Alert-Id`, and the {@linkcode alertText} body as UTF-8
 * quoted-printable (no line over 76 characters whatever the attacker sent).
 * Mask secrets first.
 *
 * @example
 * ```ts
 * import { mailMessage } from "./mail_message.ts";
 * import type { Alert } from "../alert.ts";
 * declare const alert: Alert;
 * mailMessage(alert, { from: "decnet@example.org", to: ["soc@example.org"], now: new Date() });
 * ```
 */
export function mailMessage(alert: Alert, options: MailMessageOptions): string {
  const domain = options.from.slice(options.from.lastIndexOf("@") + 1);
  const idPart = alert.id.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 128) || "alert";
  const headers = [
    `From: ${options.from}`,
    `To: ${options.to.join(", ")}`,
    `Subject: ${encodeHeaderText(`[${alert.severity}] ${alert.title}`)}`,
    `Date: ${rfc5322Date(options.now)}`,
    `Message-ID: <${idPart}@${domain}>`,
    "Auto-Submitted: auto-generated",
    `X-Decnet-Alert-Id: ${encodeHeaderText(alert.id)}`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: quoted-printable",
  ];
  return `${headers.join("\r\n")}\r\n\r\n${quotedPrintable(alertText(alert))}`;
}

/** RFC 5322 date-time in UTC, e.g. `Tue, 01 Dec 2026 14:00:00 +0000`. */
function rfc5322Date(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${DAYS[date.getUTCDay()]}, ${pad(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ` +
    `${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:` +
    `${pad(date.getUTCSeconds())} +0000`;
}

/**
 * Header text on one line: control characters escaped; non-ASCII text as
 * RFC 2047 base64 encoded-words of at most 45 bytes each (75 characters).
 */
function encodeHeaderText(text: string): string {
  const clean = printable(text);
  if (/^[\x20-\x7e]*$/.test(clean) && clean.length <= 900) return clean;
  const words: string[] = [];
  let chunk = "";
  for (const char of clean) {
    if (encoder.encode(chunk + char).length > 45) {
      words.push(chunk);
      chunk = "";
    }
    chunk += char;
  }
  words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${btoa(String.fromCharCode(...encoder.encode(w)))}?=`)
    .join("\r\n ");
}

/** RFC 2045 quoted-printable of UTF-8 text, lines ending CRLF, soft breaks before 76 characters. */
function quotedPrintable(text: string): string {
  return text.split("\n").map((line) => {
    const bytes = encoder.encode(line);
    const out: string[] = [];
    let current = "";
    bytes.forEach((b, i) => {
      const last = i === bytes.length - 1;
      const literal = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last);
      const piece = literal
        ? String.fromCharCode(b)
        : `=${b.toString(16).toUpperCase().padStart(2, "0")}`;
      if (current.length + piece.length > 75) {
        out.push(`${current}=`);
        current = "";
      }
      current += piece;
    });
    out.push(current);
    return out.join("\r\n");
  }).join("\r\n");
}
