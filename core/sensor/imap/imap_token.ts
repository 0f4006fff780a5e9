/**
 * One argument of an IMAP command: an atom (`FLAGS`, `1:*`, `NIL`,
 * `BODY[HEADER.FIELDS (SUBJECT)]<0.10>`), a string (quoted or literal), or
 * a parenthesised list.
 */
export type ImapToken =
  | { type: "atom"; value: string }
  | { type: "string"; value: string }
  | { type: "list"; items: ImapToken[] };

/** A command line's pieces: text, and the literals that arrived between them. */
export type ImapLinePart = string | { literal: string };

/** Thrown by {@linkcode parseImapArgs} for input it cannot split into arguments. */
export class ImapSyntaxError extends SyntaxError {
  constructor(message: string) {
    super(message);
    this.name = "ImapSyntaxError";
  }
}

/**
 * Splits a command's arguments (after tag and name) into tokens, the way
 * Dovecot's parser reads them: brackets of a fetch section keep their
 * spaces and parentheses inside the atom. Pure.
 *
 * @param parts the argument text and any literals, in order
 * @returns the arguments
 * @throws {ImapSyntaxError} on an unterminated string or list, or stray `)`
 * @example
 * ```ts
 * parseImapArgs(['1 (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])']);
 * // [atom "1", list [atom "FLAGS", atom "BODY.PEEK[HEADER.FIELDS (SUBJECT)]"]]
 * ```
 */
export function parseImapArgs(parts: readonly ImapLinePart[]): ImapToken[] {
  const root: ImapToken[] = [];
  const stack: ImapToken[][] = [root];
  const top = () => stack[stack.length - 1];
  for (const part of parts) {
    if (typeof part !== "string") {
      top().push({ type: "string", value: part.literal });
      continue;
    }
    let i = 0;
    while (i < part.length) {
      const c = part[i];
      if (c === " ") {
        i++;
      } else if (c === "(") {
        const list: ImapToken = { type: "list", items: [] };
        top().push(list);
        stack.push(list.items);
        i++;
      } else if (c === ")") {
        if (stack.length === 1) throw new ImapSyntaxError("Unexpected ')'");
        stack.pop();
        i++;
      } else if (c === '"') {
        let value = "";
        i++;
        while (i < part.length && part[i] !== '"') {
          if (part[i] === "\\" && i + 1 < part.length) i++;
          value += part[i++];
        }
        if (i >= part.length) throw new ImapSyntaxError("Missing '\"'");
        i++;
        top().push({ type: "string", value });
      } else {
        let value = "";
        let depth = 0;
        while (i < part.length) {
          const d = part[i];
          if (depth === 0 && (d === " " || d === "(" || d === ")")) break;
          if (d === "[") depth++;
          if (d === "]") depth = Math.max(0, depth - 1);
          value += d;
          i++;
        }
        top().push({ type: "atom", value });
      }
    }
  }
  if (stack.length !== 1) throw new ImapSyntaxError("Missing ')'");
  return root;
}

/** The text of an atom or string token, or null for a list (and NIL stays "NIL"). */
export function tokenText(token: ImapToken | undefined): string | null {
  if (!token || token.type === "list") return null;
  return token.value;
}
