/**
 * An IMAP nstring as Dovecot writes one: `NIL` for null, a quoted string
 * when it is short plain text, else a literal (CR, LF, 8-bit, quotes that
 * need care, or long text). Pure.
 *
 * @param value the text (latin1, one char per byte) or null
 * @returns the wire form
 * @example
 * ```ts
 * imapString("Budget review"); // "\"Budget review\""
 * imapString(null); // "NIL"
 * ```
 */
export function imapString(value: string | null): string {
  if (value === null) return "NIL";
  // deno-lint-ignore no-control-regex
  if (/[\r\n\x00\x80-\xff]/.test(value) || value.length > 1024) {
    return `{${value.length}}\r\n${value}`;
  }
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}
