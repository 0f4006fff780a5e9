/** The HTTP request line as nginx 1.22 reads it (folder-private). */
import { CR, INCOMPLETE, latin1, LF, refuse, SP, type Step } from "./_http1_step.ts";

function isUpperMethodByte(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x2d;
}

/** Bytes nginx allows inside "[...]" besides letters and digits. */
const IP_LITERAL_BYTES = [..."-._~!$&'()*+,;=:"].map((ch) => ch.charCodeAt(0));

function isAlpha(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** A request line as nginx reads it. */
export interface RequestLine {
  method: string;
  target: string;
  /** Offset of the path in the target ("/..."), or -1 for an absolute target without one. */
  pathStart: number;
  host: string | null;
  http09: boolean;
  version: number;
  /** Offset just past the line's LF. */
  end: number;
  /** Offset of the line's first byte (leading blank lines skipped). */
  start: number;
}

/**
 * Reads the request line byte by byte as nginx's state machine does: method
 * of upper-case letters, '_' or '-'; origin or absolute target; no control
 * bytes; HTTP/1.x (a higher major version is 505); a bare `GET /path` line is
 * HTTP/0.9.
 */
export function parseRequestLine(buf: Uint8Array, largeBufferBytes: number): Step<RequestLine> {
  let i = 0;
  while (i < buf.length && (buf[i] === CR || buf[i] === LF)) i++;
  const start = i;
  const tooLong = () =>
    buf.length - start >= largeBufferBytes
      ? refuse(414, "request line longer than a large header buffer")
      : INCOMPLETE;
  if (i >= buf.length) return INCOMPLETE;
  // Method.
  const methodStart = i;
  for (;; i++) {
    if (i >= buf.length) return tooLong();
    const c = buf[i];
    if (c === SP) break;
    if (!isUpperMethodByte(c)) return refuse(400, "invalid method");
  }
  if (i === methodStart) return refuse(400, "invalid method");
  const method = latin1(buf, methodStart, i);
  // Spaces before the target.
  while (i < buf.length && buf[i] === SP) i++;
  if (i >= buf.length) return tooLong();
  const targetStart = i;
  let pathStart = -1;
  let host: string | null = null;
  if (isAlpha(buf[i])) {
    // Absolute form: scheme "://" host [":" port] then path, query or end.
    for (;; i++) {
      if (i >= buf.length) return tooLong();
      const c = buf[i];
      if (isAlpha(c) || isDigit(c) || c === 0x2b || c === 0x2d || c === 0x2e) continue;
      if (c === 0x3a) break;
      return refuse(400, "invalid scheme");
    }
    for (let k = 1; k <= 2; k++) {
      if (i + k >= buf.length) return tooLong();
      if (buf[i + k] !== 0x2f) return refuse(400, "invalid scheme");
    }
    i += 3;
    const hostStart = i;
    if (buf[i] === 0x5b) {
      // IP literal: up to ']' over the characters nginx allows there.
      for (i++;; i++) {
        if (i >= buf.length) return tooLong();
        const c = buf[i];
        if (c === 0x5d) break;
        if (!(isAlpha(c) || isDigit(c) || IP_LITERAL_BYTES.includes(c))) {
          return refuse(400, "invalid host in target");
        }
      }
      i++;
    } else {
      while (
        i < buf.length && (isAlpha(buf[i]) || isDigit(buf[i]) || buf[i] === 0x2e || buf[i] === 0x2d)
      ) i++;
    }
    const hostEnd = i;
    if (i < buf.length && buf[i] === 0x3a) {
      for (i++; i < buf.length && isDigit(buf[i]);) i++;
    }
    if (i >= buf.length) return tooLong();
    host = latin1(buf, hostStart, hostEnd);
    const c = buf[i];
    if (c === 0x2f) pathStart = i - targetStart;
    else if (c !== SP && c !== 0x3f) return refuse(400, "invalid host in target");
  } else if (buf[i] === 0x2f) {
    pathStart = 0;
  } else {
    return refuse(400, "invalid request target");
  }
  // The rest of the target: anything but control bytes and spaces.
  for (;; i++) {
    if (i >= buf.length) return tooLong();
    const c = buf[i];
    if (c === SP || c === CR || c === LF) break;
    if (c < 0x20 || c === 0x7f) return refuse(400, "control byte in target");
  }
  const target = latin1(buf, targetStart, i);
  // HTTP/0.9: the target ends the line.
  while (i < buf.length && buf[i] === SP) i++;
  if (i >= buf.length) return tooLong();
  const lineEnd = (at: number): Step<number> => {
    if (buf[at] === LF) return { kind: "ok", value: at + 1 };
    if (at + 1 >= buf.length) return tooLong();
    if (buf[at + 1] !== LF) return refuse(400, "CR without LF");
    return { kind: "ok", value: at + 2 };
  };
  if (buf[i] === CR || buf[i] === LF) {
    const end = lineEnd(i);
    if (end.kind !== "ok") return end;
    if (method !== "GET") return refuse(400, "HTTP/0.9 method other than GET", true);
    return {
      kind: "ok",
      value: { method, target, pathStart, host, http09: true, version: 9, end: end.value, start },
    };
  }
  const proto = "HTTP/";
  for (let k = 0; k < proto.length; k++, i++) {
    if (i >= buf.length) return tooLong();
    if (buf[i] !== proto.charCodeAt(k)) return refuse(400, "invalid protocol");
  }
  let major = 0;
  for (let first = true;; i++, first = false) {
    if (i >= buf.length) return tooLong();
    const c = buf[i];
    if (c === 0x2e && !first) break;
    if (!isDigit(c) || (first && c === 0x30)) return refuse(400, "invalid major version");
    major = major * 10 + (c - 0x30);
    if (major > 1) return refuse(505, "HTTP major version above 1");
  }
  i++;
  let minor = 0;
  for (let first = true;; i++, first = false) {
    if (i >= buf.length) return tooLong();
    const c = buf[i];
    if (!first && (c === SP || c === CR || c === LF)) break;
    if (!isDigit(c)) return refuse(400, "invalid minor version");
    minor = minor * 10 + (c - 0x30);
    if (minor > 99) return refuse(400, "minor version above 99");
  }
  while (i < buf.length && buf[i] === SP) i++;
  if (i >= buf.length) return tooLong();
  if (buf[i] !== CR && buf[i] !== LF) return refuse(400, "bytes after the version");
  const end = lineEnd(i);
  if (end.kind !== "ok") return end;
  if (end.value - start > largeBufferBytes) {
    return refuse(414, "request line longer than a large header buffer");
  }
  return {
    kind: "ok",
    value: {
      method,
      target,
      pathStart,
      host,
      http09: false,
      version: major * 1000 + minor,
      end: end.value,
      start,
    },
  };
}
