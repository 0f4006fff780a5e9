/** Tables whose rows a live stream replays on reconnection, by the row ids they report. */
export const STREAM_SOURCES = ["trigger", "event", "email", "service"] as const;
/**
 * `trigger` (canary_triggers), `event` (orchestrator_events), `email`
 * (orchestrator_emails), `service` (service_events: what sensors recorded).
 */
export type StreamSource = typeof STREAM_SOURCES[number];

/** Where a stream is: the last row id sent (or skipped) of each table it follows. */
export type StreamCursor = Partial<Record<StreamSource, number>>;

const PART_REGEXP = /^(trigger|event|email|service):(0|[1-9]\d{0,15})$/;
const MAX_CURSOR_LENGTH = 200;

/**
 * The SSE id of a stream position: `trigger:42,event:17,email:3`, the
 * tables in a fixed order, only those the stream follows.
 *
 * @example
 * ```ts
 * import { formatStreamCursor } from "./stream_cursor.ts";
 * formatStreamCursor({ event: 17, trigger: 42 }); // "trigger:42,event:17"
 * ```
 */
export function formatStreamCursor(cursor: StreamCursor): string {
  return STREAM_SOURCES.filter((s) => cursor[s] !== undefined)
    .map((s) => `${s}:${cursor[s]}`).join(",");
}

/**
 * Reads a `Last-Event-ID` written by {@linkcode formatStreamCursor}.
 *
 * @throws {SyntaxError} naming the part that is not `trigger|event|email|service:<row id>`
 * @example
 * ```ts
 * import { parseStreamCursor } from "./stream_cursor.ts";
 * parseStreamCursor("trigger:42,event:17"); // { trigger: 42, event: 17 }
 * ```
 */
export function parseStreamCursor(text: string): StreamCursor {
  if (text.length > MAX_CURSOR_LENGTH) {
    throw new SyntaxError(`expected at most ${MAX_CURSOR_LENGTH} characters, got ${text.length}`);
  }
  const cursor: StreamCursor = {};
  for (const part of text.split(",")) {
    const m = PART_REGEXP.exec(part.trim());
    if (!m || cursor[m[1] as StreamSource] !== undefined) {
      throw new SyntaxError(
        `expected comma-separated trigger:<id>, event:<id>, email:<id>, service:<id> (each once), got "${part}"`,
      );
    }
    cursor[m[1] as StreamSource] = Number(m[2]);
  }
  return cursor;
}
