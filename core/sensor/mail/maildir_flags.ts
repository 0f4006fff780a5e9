const FLAG_LETTERS: Record<string, string> = {
  S: "\\Seen",
  R: "\\Answered",
  F: "\\Flagged",
  T: "\\Deleted",
  D: "\\Draft",
};

/**
 * IMAP system flags from a Maildir file name's info part (`...:2,RS`).
 * Pure.
 *
 * @param fileName the name in `cur/` or `new/`
 * @returns the flags, in the letters' order
 * @example
 * ```ts
 * maildirFlags("1700000000.M1P2.host:2,RS"); // ["\\Answered", "\\Seen"]
 * ```
 */
export function maildirFlags(fileName: string): string[] {
  const info = /:2,([A-Za-z]*)$/.exec(fileName);
  if (!info) return [];
  return [...info[1]].flatMap((c) => FLAG_LETTERS[c] ? [FLAG_LETTERS[c]] : []);
}
