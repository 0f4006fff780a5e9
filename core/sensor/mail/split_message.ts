/** A message cut at the end of its header. */
export interface MessageParts {
  /** Header lines and the blank line that ends them (CRLF). */
  header: string;
  body: string;
}

/**
 * Splits a CRLF message after the blank line that ends its header (the
 * whole message is header when there is none, as Dovecot treats it). Pure.
 *
 * @param raw the message
 * @returns header (with its blank line) and body
 * @example
 * ```ts
 * splitMessage("Subject: hi\r\n\r\nbody\r\n"); // { header: "Subject: hi\r\n\r\n", body: "body\r\n" }
 * ```
 */
export function splitMessage(raw: string): MessageParts {
  if (raw.startsWith("\r\n")) return { header: "\r\n", body: raw.slice(2) };
  const end = raw.indexOf("\r\n\r\n");
  if (end < 0) return { header: raw, body: "" };
  return { header: raw.slice(0, end + 4), body: raw.slice(end + 4) };
}

/**
 * The header's fields, unfolded continuation lines kept with their field.
 * Pure.
 *
 * @param header header text as from {@linkcode splitMessage}
 * @returns fields in order: name as written, and the whole field text (CRLF-ended lines)
 * @example
 * ```ts
 * headerFields("Subject: a\r\n b\r\n\r\n"); // [{ name: "Subject", text: "Subject: a\r\n b\r\n" }]
 * ```
 */
export function headerFields(header: string): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const line of header.split("\r\n")) {
    if (line === "") continue;
    if (/^[ \t]/.test(line) && out.length > 0) {
      out[out.length - 1].text += `${line}\r\n`;
    } else {
      const colon = line.indexOf(":");
      out.push({ name: (colon < 0 ? line : line.slice(0, colon)).trim(), text: `${line}\r\n` });
    }
  }
  return out;
}

/**
 * The unfolded value of the first field named `name` (case-insensitive),
 * or null. Pure.
 *
 * @example
 * ```ts
 * headerValue("Subject: a\r\n b\r\n\r\n", "subject"); // "a b"
 * ```
 */
export function headerValue(header: string, name: string): string | null {
  const lower = name.toLowerCase();
  const field = headerFields(header).find((f) => f.name.toLowerCase() === lower);
  if (!field) return null;
  return field.text.slice(field.text.indexOf(":") + 1).replace(/\r\n[ \t]/g, " ").replace(
    /\r\n$/,
    "",
  )
    .trim();
}
