import type { ConnReader } from "../conn_reader.ts";
import { latin1Text } from "../mail/mod.ts";
import type { ImapLinePart } from "./imap_token.ts";

/** A command as read from the client: its line pieces and literals. */
export interface ImapCommandRead {
  parts: ImapLinePart[];
  /** The command's text with literals shown as `{N}`, for the record. */
  text: string;
}

/** Options for {@linkcode readImapCommand}. */
export interface ReadImapCommandOptions {
  /** Largest line and largest literal. */
  limit: number;
  /** Sends the continuation a synchronising literal waits for. */
  sendContinuation(): Promise<void>;
}

/** Thrown when a literal announces more than the limit (Dovecot then says BYE). */
export class ImapLiteralTooLargeError extends RangeError {
  constructor(size: string) {
    super(`Cannot read IMAP literal: ${size} bytes is over the limit`);
    this.name = "ImapLiteralTooLargeError";
  }
}

const LITERAL_REGEXP = /\{(\d+)(\+?)\}$/;

/**
 * Reads one IMAP command: a line, and when it ends in a literal `{N}` (or
 * `{N+}`) the N bytes and the rest of the command after them. A literal
 * over the limit is refused before anything is read or allocated.
 *
 * @param reader the connection
 * @param options limit and how to ask for a synchronising literal
 * @returns the command, or null at EOF
 * @throws {ImapLiteralTooLargeError} when a literal is over the limit
 * @throws {LineTooLongError} when a line is over the limit
 * @example
 * ```ts
 * import type { SensorSession } from "../sensor_service.ts";
 * declare const session: SensorSession;
 * const command = await readImapCommand(session.reader, {
 *   limit: 65536,
 *   sendContinuation: () => session.write("+ OK\r\n"),
 * });
 * ```
 */
export async function readImapCommand(
  reader: ConnReader,
  options: ReadImapCommandOptions,
): Promise<ImapCommandRead | null> {
  const parts: ImapLinePart[] = [];
  let text = "";
  let total = 0;
  while (true) {
    const line = await reader.readLine(options.limit);
    if (line === null) return parts.length ? { parts, text } : null;
    text += line;
    const literal = LITERAL_REGEXP.exec(line);
    if (!literal) {
      parts.push(line);
      return { parts, text };
    }
    const size = Number(literal[1]);
    total += line.length + size;
    if (literal[1].length > 9 || size > options.limit || total > options.limit) {
      throw new ImapLiteralTooLargeError(literal[1]);
    }
    parts.push(line.slice(0, literal.index));
    if (literal[2] !== "+") await options.sendContinuation();
    const bytes = await reader.readExact(size);
    if (bytes === null) return null;
    parts.push({ literal: latin1Text(bytes) });
  }
}
