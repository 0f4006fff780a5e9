/** The outcome of {@linkcode skipChunkedBody}. */
export type ChunkedBodyResult =
  | { kind: "incomplete" }
  | { kind: "invalid" }
  | { kind: "done"; /** Offset just past the body's final line. */ end: number };

const CR = 0x0d;
const LF = 0x0a;

/**
 * Finds the end of a chunked request body starting at `at`, accepting what
 * nginx's chunked parser accepts (hex size, extensions after ';', space or
 * tab, CRLF or bare LF line ends, trailer fields), so a keep-alive connection
 * can skip it and read the next request, and a body nginx calls invalid ends
 * the connection as there. The canary never needs the body itself.
 *
 * @example
 * ```ts
 * skipChunkedBody(new TextEncoder().encode("3\r\nabc\r\n0\r\n\r\n"), 0); // { kind: "done", end: 13 }
 * ```
 */
export function skipChunkedBody(buf: Uint8Array, at: number): ChunkedBodyResult {
  let i = at;
  /** Expects LF after a CR at `i`; the offset past it, or a result to return. */
  const lineEnd = (): number | ChunkedBodyResult => {
    if (buf[i] === LF) return i + 1;
    if (i + 1 >= buf.length) return { kind: "incomplete" };
    return buf[i + 1] === LF ? i + 2 : { kind: "invalid" };
  };
  for (;;) {
    // Chunk size: at least one hex digit.
    let size = 0;
    let digits = 0;
    for (;; i++) {
      if (i >= buf.length) return { kind: "incomplete" };
      const v = hexValue(buf[i]);
      if (v < 0) break;
      size = size * 16 + v;
      if (++digits > 15) return { kind: "invalid" };
    }
    if (digits === 0) return { kind: "invalid" };
    const c = buf[i];
    if (c === 0x3b || c === 0x20 || c === 0x09) {
      // Extension: anything up to the line end.
      while (i < buf.length && buf[i] !== CR && buf[i] !== LF) i++;
      if (i >= buf.length) return { kind: "incomplete" };
    } else if (c !== CR && c !== LF) {
      return { kind: "invalid" };
    }
    const afterSize = lineEnd();
    if (typeof afterSize !== "number") return afterSize;
    i = afterSize;
    if (size === 0) {
      // Trailer fields, then the blank line.
      for (;;) {
        if (i >= buf.length) return { kind: "incomplete" };
        if (buf[i] === CR || buf[i] === LF) {
          const end = lineEnd();
          return typeof end === "number" ? { kind: "done", end } : end;
        }
        while (i < buf.length && buf[i] !== CR && buf[i] !== LF) i++;
        if (i >= buf.length) return { kind: "incomplete" };
        const next = lineEnd();
        if (typeof next !== "number") return next;
        i = next;
      }
    }
    if (i + size >= buf.length) return { kind: "incomplete" };
    i += size;
    if (buf[i] !== CR && buf[i] !== LF) return { kind: "invalid" };
    const afterData = lineEnd();
    if (typeof afterData !== "number") return afterData;
    i = afterData;
  }
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}
