/** The outcome of {@linkcode skipChunkedBody}. */
export type ChunkedBodyResult =
  | { kind: "incomplete" }
  | { kind: "invalid" }
  | { kind: "done"; /** Offset just past the body's final CRLF. */ end: number };

/** A chunk-size line longer than this is refused (nginx allows no more than a few bytes). */
const MAX_SIZE_LINE = 4096;

/**
 * Finds the end of a chunked request body starting at `at`, so a keep-alive
 * connection can skip it and read the next request (the canary never needs
 * the body itself). Chunk extensions and trailer fields are skipped.
 *
 * @example
 * ```ts
 * skipChunkedBody(new TextEncoder().encode("3\r\nabc\r\n0\r\n\r\n"), 0); // { kind: "done", end: 13 }
 * ```
 */
export function skipChunkedBody(buf: Uint8Array, at: number): ChunkedBodyResult {
  let i = at;
  for (;;) {
    const lineEnd = indexOfLf(buf, i, MAX_SIZE_LINE);
    if (lineEnd === -2) return { kind: "invalid" };
    if (lineEnd < 0) return { kind: "incomplete" };
    let size = 0;
    let digits = 0;
    let j = i;
    for (; j < lineEnd; j++) {
      const v = hexValue(buf[j]);
      if (v < 0) break;
      size = size * 16 + v;
      if (++digits > 15) return { kind: "invalid" };
    }
    if (digits === 0) return { kind: "invalid" };
    const rest = buf[j];
    if (j < lineEnd && rest !== 0x3b && rest !== 0x0d && rest !== 0x20 && rest !== 0x09) {
      return { kind: "invalid" };
    }
    i = lineEnd + 1;
    if (size === 0) {
      // Trailer fields, then the blank line.
      for (;;) {
        const end = indexOfLf(buf, i, MAX_SIZE_LINE);
        if (end === -2) return { kind: "invalid" };
        if (end < 0) return { kind: "incomplete" };
        const blank = end === i || (end === i + 1 && buf[i] === 0x0d);
        i = end + 1;
        if (blank) return { kind: "done", end: i };
      }
    }
    if (i + size > buf.length) return { kind: "incomplete" };
    i += size;
    if (i >= buf.length) return { kind: "incomplete" };
    if (buf[i] === 0x0d) {
      if (i + 1 >= buf.length) return { kind: "incomplete" };
      i++;
    }
    if (buf[i] !== 0x0a) return { kind: "invalid" };
    i++;
  }
}

/** Offset of the next LF within `max` bytes; -1 when not there yet, -2 when the line is too long. */
function indexOfLf(buf: Uint8Array, from: number, max: number): number {
  const end = Math.min(buf.length, from + max);
  for (let i = from; i < end; i++) if (buf[i] === 0x0a) return i;
  return buf.length - from >= max ? -2 : -1;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}
