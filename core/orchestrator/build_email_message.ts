import {
  base64Lines,
  encodeHeaderText,
  foldHeader,
  formatAddress,
  quotedPrintable,
} from "./_mime.ts";
import { formatEmailDate } from "./format_email_date.ts";

/** One mailbox: display name and address. */
export interface EmailParty {
  name: string;
  email: string;
}

/** Options for {@linkcode buildEmailMessage}. */
export interface BuildEmailMessageOptions {
  from: EmailParty;
  to: EmailParty;
  subject: string;
  /** Plain text, "\n" line breaks. */
  body: string;
  date: Date;
  /** The sender's IANA zone (the Date header is written in it). */
  timeZone: string;
  /** "<id@domain>". */
  messageId: string;
  inReplyTo?: string | null;
  /** Earlier Message-IDs of the thread, oldest first. */
  references?: readonly string[];
}

const LONG_LINE_REGEXP = /[^\n]{999,}/;
// deno-lint-ignore no-control-regex
const ASCII_REGEXP = /^[\x00-\x7f]*$/;

/**
 * An RFC 5322 message (CRLF line breaks) with one MIME-Version and a UTF-8
 * text/plain body: 7bit when the text is short-lined ASCII, quoted-printable
 * when it is mostly ASCII, base64 otherwise. Non-ASCII header text is
 * encoded as RFC 2047 words; long headers are folded.
 *
 * @param options parties, subject, body, date, zone and thread links
 * @returns the message text
 * @example
 * ```ts
 * import { buildEmailMessage } from "./build_email_message.ts";
 * const eml = buildEmailMessage({
 *   from: { name: "Ana López", email: "ana@example.com" },
 *   to: { name: "Bo Berg", email: "bo@example.com" },
 *   subject: "Budget", body: "Hi,\n", date: new Date(),
 *   timeZone: "Europe/Berlin", messageId: "<1.2@example.com>",
 * });
 * ```
 */
export function buildEmailMessage(options: BuildEmailMessageOptions): string {
  const body = options.body.replace(/\r\n/g, "\n");
  let encoding: "7bit" | "quoted-printable" | "base64";
  let encoded: string;
  if (ASCII_REGEXP.test(body) && !LONG_LINE_REGEXP.test(body)) {
    encoding = "7bit";
    encoded = body.split("\n").join("\r\n");
  } else {
    const nonAscii = [...body].filter((c) => c.charCodeAt(0) > 127).length;
    if (nonAscii * 3 > body.length) {
      encoding = "base64";
      encoded = base64Lines(body);
    } else {
      encoding = "quoted-printable";
      encoded = quotedPrintable(body);
    }
  }
  const headers = [
    `Date: ${formatEmailDate(options.date, options.timeZone)}`,
    foldHeader("From", formatAddress(options.from.name, options.from.email)),
    foldHeader("To", formatAddress(options.to.name, options.to.email)),
    foldHeader("Subject", encodeHeaderText(options.subject.replace(/[\r\n]+/g, " "))),
    `Message-ID: ${options.messageId}`,
  ];
  if (options.inReplyTo) headers.push(`In-Reply-To: ${options.inReplyTo}`);
  if (options.references && options.references.length > 0) {
    headers.push(foldHeader("References", options.references.join(" ")));
  }
  headers.push(
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=UTF-8",
    `Content-Transfer-Encoding: ${encoding}`,
  );
  const text = encoded.endsWith("\r\n") ? encoded : `${encoded}\r\n`;
  return `${headers.join("\r\n")}\r\n\r\n${text}`;
}
