/**
 * A pure HTTP/1.x request-head parser that accepts and refuses what nginx 1.22
 * (Debian's stock configuration) accepts and refuses, so the canary listener
 * can answer malformed input exactly as nginx does. It works on the bytes
 * received so far and says "incomplete" until it can decide; errors are
 * reported as soon as nginx would report them (an invalid byte in the request
 * line, a line too long for its buffers), not only at the end of the head.
 */

/** Limits, named after the nginx directives they mirror (defaults are nginx's). */
export interface Http1Limits {
  /** client_header_buffer_size. @default 1024 */
  headerBufferBytes?: number;
  /** large_client_header_buffers: how many. @default 4 */
  largeBuffers?: number;
  /** large_client_header_buffers: size of each (the longest request line or header line). @default 8192 */
  largeBufferBytes?: number;
  /** client_max_body_size (a larger Content-Length is refused with 413). @default 1048576 */
  maxBodyBytes?: number;
}

/** A request head nginx would accept. Strings hold raw bytes as latin1. */
export interface Http1Request {
  method: string;
  /** The request target exactly as sent ("/c/x?y=1", or absolute form). */
  target: string;
  /** The path as nginx matches locations: percent-decoded, dot segments resolved, slashes merged. */
  path: string;
  /** An HTTP/0.9 request line (`GET /path`): the answer is the body alone. */
  http09: boolean;
  /** 1000 * major + minor (1001 for HTTP/1.1), as nginx keeps it; 9 for HTTP/0.9. */
  version: number;
  /** Header fields nginx keeps (invalid names dropped), names as sent, values trimmed. */
  headers: readonly (readonly [string, string])[];
  /** Whether the connection may carry another request after this one. */
  keepAlive: boolean;
  /** Body bytes announced by Content-Length (0 when none). */
  contentLength: number;
  /** The body is chunked. */
  chunked: boolean;
  /** The User-Agent is MSIE (nginx pads its error pages for it). */
  msie: boolean;
  /** nginx's `gzip on` would compress a text/html answer: HTTP/1.1+, gzip accepted, no Via. */
  gzip: boolean;
}

/** What nginx does with a request it refuses before any location is chosen. */
export interface Http1Refusal {
  /** 494 is nginx's "Request Header Or Cookie Too Large", sent as a 400 page. */
  status: 400 | 405 | 413 | 414 | 494 | 501 | 505;
  /** The request line was HTTP/0.9: the page goes out without a status line or headers. */
  http09: boolean;
  /** A short reason for the debug log. */
  reason: string;
}

/** The outcome of {@linkcode parseHttp1Request}. */
export type Http1ParseResult =
  | { kind: "incomplete" }
  | { kind: "refused"; refusal: Http1Refusal }
  | {
    kind: "request";
    request: Http1Request; /** Bytes of the head, body excluded. */
    headLength: number;
  };

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;

/** Bytes nginx keeps in header names (its lowcase table): letters, digits and '-'. */
function isNameByte(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) ||
    c === 0x2d;
}

function isUpperMethodByte(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x2d;
}

function isAlpha(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  let out = "";
  for (let i = start; i < end; i += 4096) {
    out += String.fromCharCode(...bytes.subarray(i, Math.min(end, i + 4096)));
  }
  return out;
}

interface RequestLine {
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

type Step<T> = { kind: "incomplete" } | { kind: "refused"; refusal: Http1Refusal } | {
  kind: "ok";
  value: T;
};

const INCOMPLETE = { kind: "incomplete" } as const;

function refuse(status: Http1Refusal["status"], reason: string, http09 = false) {
  return { kind: "refused" as const, refusal: { status, http09, reason } };
}

/**
 * Reads the request line byte by byte as nginx's state machine does: method
 * of upper-case letters, '_' or '-'; origin or absolute target; no control
 * bytes; HTTP/1.x (a higher major version is 505); a bare `GET /path` line is
 * HTTP/0.9.
 */
function parseRequestLine(buf: Uint8Array, limits: Required<Http1Limits>): Step<RequestLine> {
  let i = 0;
  while (i < buf.length && (buf[i] === CR || buf[i] === LF)) i++;
  const start = i;
  const tooLong = () =>
    buf.length - start >= limits.largeBufferBytes
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
    let bracket = false;
    for (;; i++) {
      if (i >= buf.length) return tooLong();
      const c = buf[i];
      if (i === hostStart && c === 0x5b) {
        bracket = true;
        continue;
      }
      if (bracket) {
        if (c === 0x5d) bracket = false;
        else if (!(isAlpha(c) || isDigit(c) || c === 0x3a || c === 0x2e)) {
          return refuse(400, "invalid host in target");
        }
        continue;
      }
      if (isAlpha(c) || isDigit(c) || c === 0x2e || c === 0x2d || c === 0x5f || c === 0x3a) {
        continue;
      }
      break;
    }
    host = latin1(buf, hostStart, i).replace(/:\d*$/, "");
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
  if (end.value - start > limits.largeBufferBytes) {
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

/**
 * The path as nginx's complex-URI pass makes it: query cut off, %XX decoded
 * (a bad escape or a decoded NUL is an error), "//" merged, "." dropped and
 * ".." resolved (climbing above the root is an error). Returns null on error.
 */
export function normalizeHttpPath(rawPath: string): string | null {
  const q = rawPath.search(/[?#]/);
  const raw = q < 0 ? rawPath : rawPath.slice(0, q);
  let decoded = "";
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c !== "%") {
      decoded += c;
      continue;
    }
    const hex = raw.slice(i + 1, i + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return null;
    const byte = parseInt(hex, 16);
    if (byte === 0) return null;
    decoded += String.fromCharCode(byte);
    i += 2;
  }
  const out: string[] = [];
  const segments = decoded.split("/");
  for (let i = 1; i < segments.length; i++) {
    const s = segments[i];
    const last = i === segments.length - 1;
    if (s === "" && !last) continue;
    if (s === ".") {
      if (last) out.push("");
      continue;
    }
    if (s === "..") {
      if (out.length === 0) return null;
      out.pop();
      if (last) out.push("");
      continue;
    }
    out.push(s);
  }
  return "/" + out.join("/");
}

interface HeaderLine {
  /** null: a line nginx ignores (invalid name). */
  name: string | null;
  value: string;
  end: number;
}

/**
 * One header line from `at`: null when it is the blank line ending the head.
 * nginx drops names with bytes outside [A-Za-z0-9-] (ignore_invalid_headers)
 * but refuses a line starting with a space, a control byte or ':', a space or
 * control byte inside a name, a NUL in a value, and CR not followed by LF.
 */
function parseHeaderLine(buf: Uint8Array, at: number): Step<HeaderLine | null> {
  let i = at;
  if (i >= buf.length) return INCOMPLETE;
  if (buf[i] === LF) return { kind: "ok", value: null };
  if (buf[i] === CR) {
    if (i + 1 >= buf.length) return INCOMPLETE;
    return buf[i + 1] === LF ? { kind: "ok", value: null } : refuse(400, "CR without LF");
  }
  let valid = true;
  const nameStart = i;
  let nameEnd = -1;
  for (;; i++) {
    if (i >= buf.length) return INCOMPLETE;
    const c = buf[i];
    if (c === 0x3a && i > nameStart) {
      nameEnd = i;
      i++;
      break;
    }
    if (c === CR || c === LF) {
      if (i === nameStart) return refuse(400, "invalid header line");
      nameEnd = i;
      break;
    }
    if (isNameByte(c)) continue;
    if (c <= 0x20 || c === 0x7f || c === 0x3a) return refuse(400, "invalid header line");
    valid = false;
  }
  while (i < buf.length && buf[i] === SP) i++;
  const valueStart = i;
  let valueEnd = i;
  for (;; i++) {
    if (i >= buf.length) return INCOMPLETE;
    const c = buf[i];
    if (c === CR || c === LF) break;
    if (c === 0) return refuse(400, "NUL in header value");
    if (c !== SP) valueEnd = i + 1;
  }
  if (buf[i] === CR) {
    i++;
    while (i < buf.length && buf[i] === CR) i++;
    if (i >= buf.length) return INCOMPLETE;
    if (buf[i] !== LF) return refuse(400, "CR without LF");
  }
  return {
    kind: "ok",
    value: {
      name: valid ? latin1(buf, nameStart, nameEnd) : null,
      value: latin1(buf, valueStart, valueEnd),
      end: i + 1,
    },
  };
}

/** nginx's Host check: no '/', space or control byte, no "..", something left after a trailing dot and port. */
function isValidHost(host: string): boolean {
  for (let i = 0; i < host.length; i++) {
    const c = host.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f || c === 0x2f) return false;
  }
  if (host.includes("..")) return false;
  return host.replace(/:\d*$/, "").replace(/\.$/, "") !== "";
}

/** Header fields nginx keeps before it answers "Request Header Or Cookie Too Large" (measured). */
const MAX_HEADER_FIELDS = 1000;

const DEFAULT_LIMITS: Required<Http1Limits> = {
  headerBufferBytes: 1024,
  largeBuffers: 4,
  largeBufferBytes: 8192,
  maxBodyBytes: 1024 * 1024,
};

/**
 * Parses one request head from the bytes received so far, deciding as nginx
 * 1.22 with Debian's stock configuration does: which heads it refuses and with
 * which status, when a line outgrows `large_client_header_buffers`, whether
 * the connection stays open, and the path it matches locations against.
 *
 * @param buf bytes received on the connection since the previous request ended
 * @returns "incomplete" until more bytes are needed, else the request or nginx's refusal
 * @example
 * ```ts
 * const r = parseHttp1Request(new TextEncoder().encode("GET /c/x HTTP/1.1\r\nHost: a\r\n\r\n"));
 * if (r.kind === "request") console.log(r.request.path); // "/c/x"
 * ```
 */
export function parseHttp1Request(buf: Uint8Array, limits: Http1Limits = {}): Http1ParseResult {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  const line = parseRequestLine(buf, lim);
  if (line.kind !== "ok") return line;
  const rl = line.value;
  // nginx checks the path as soon as the request line is complete, before reading headers.
  let path = "/";
  if (rl.pathStart >= 0) {
    const normalized = normalizeHttpPath(rl.target.slice(rl.pathStart));
    if (normalized === null) return refuse(400, "invalid path", rl.http09);
    path = normalized;
  }
  if (rl.http09) {
    const request: Http1Request = {
      method: rl.method,
      target: rl.target,
      path,
      http09: true,
      version: 9,
      headers: [],
      keepAlive: false,
      contentLength: 0,
      chunked: false,
      msie: false,
      gzip: false,
    };
    return { kind: "request", request, headLength: rl.end };
  }
  // Where each line would sit in nginx's buffers: the first buffer, then up to
  // `largeBuffers` large ones; a line that does not fit moves to the next one.
  const lineLength = rl.end - rl.start;
  let room = lim.headerBufferBytes - lineLength;
  let largeUsed = 0;
  if (room < 0) {
    largeUsed = 1;
    room = lim.largeBufferBytes - lineLength;
  }
  const place = (length: number): boolean => {
    if (length <= room) {
      room -= length;
      return true;
    }
    if (length > lim.largeBufferBytes || largeUsed >= lim.largeBuffers) return false;
    largeUsed++;
    room = lim.largeBufferBytes - length;
    return true;
  };
  const headers: [string, string][] = [];
  let at = rl.end;
  for (;;) {
    const h = parseHeaderLine(buf, at);
    if (h.kind === "incomplete") {
      // The partial line already needs more room than nginx has left.
      const pending = buf.length - at;
      const saved = { room, largeUsed };
      const fits = place(pending + 1);
      ({ room, largeUsed } = saved);
      return fits ? INCOMPLETE : refuse(494, "header line does not fit the header buffers");
    }
    if (h.kind === "refused") return h;
    if (h.value === null) {
      at = buf[at] === CR ? at + 2 : at + 1;
      break;
    }
    if (!place(h.value.end - at)) return refuse(494, "header line does not fit the header buffers");
    if (h.value.name !== null) {
      // Debian's nginx 1.22 refuses a head with more than 1000 kept header fields as too large.
      if (headers.length >= MAX_HEADER_FIELDS) return refuse(494, "more than 1000 header fields");
      headers.push([h.value.name, h.value.value]);
    }
    at = h.value.end;
  }
  return finishHead(rl, path, headers, at, lim);
}

function finishHead(
  rl: RequestLine,
  path: string,
  headers: [string, string][],
  headLength: number,
  lim: Required<Http1Limits>,
): Http1ParseResult {
  let host: string | null = null;
  let contentLength: string | null = null;
  let transferEncoding: string | null = null;
  let connection: string | null = null;
  let userAgent = "";
  let acceptEncoding: string | null = null;
  let via = false;
  for (const [name, value] of headers) {
    const lc = name.toLowerCase();
    if (lc === "host") {
      if (host !== null) return refuse(400, "duplicate Host");
      if (!isValidHost(value)) return refuse(400, "invalid Host");
      host = value;
    } else if (lc === "content-length") {
      if (contentLength !== null) return refuse(400, "duplicate Content-Length");
      contentLength = value;
    } else if (lc === "transfer-encoding") {
      if (transferEncoding !== null) return refuse(400, "duplicate Transfer-Encoding");
      transferEncoding = value;
    } else if (lc === "connection") {
      connection = value;
    } else if (lc === "user-agent") {
      userAgent = value;
    } else if (lc === "accept-encoding") {
      acceptEncoding ??= value;
    } else if (lc === "via") {
      via = true;
    }
  }
  if (host === null && rl.host === null && rl.version > 1000) {
    return refuse(400, "HTTP/1.1 request without Host");
  }
  let length = 0;
  if (contentLength !== null) {
    if (!/^\d{1,18}$/.test(contentLength)) return refuse(400, "invalid Content-Length");
    length = Number(contentLength);
  }
  let chunked = false;
  if (transferEncoding !== null) {
    if (rl.version < 1001) return refuse(400, "Transfer-Encoding in HTTP/1.0");
    if (transferEncoding.toLowerCase() !== "chunked") {
      return refuse(501, "unsupported Transfer-Encoding");
    }
    if (contentLength !== null) return refuse(400, "Content-Length with Transfer-Encoding");
    chunked = true;
  }
  if (rl.method === "TRACE") return refuse(405, "TRACE");
  if (length > lim.maxBodyBytes) return refuse(413, "body larger than client_max_body_size");
  const conn = connection?.toLowerCase() ?? "";
  const keepAlive = conn.includes("close")
    ? false
    : conn.includes("keep-alive")
    ? true
    : rl.version > 1000;
  const msie = userAgent.includes("MSIE ") && !userAgent.includes("Opera");
  const request: Http1Request = {
    method: rl.method,
    target: rl.target,
    path,
    http09: false,
    version: rl.version,
    headers,
    keepAlive,
    contentLength: length,
    chunked,
    msie,
    // gzip_http_version 1.1, and gzip_proxied off: nothing is compressed for a request with Via.
    gzip: rl.version >= 1001 && !via && acceptEncoding !== null && acceptsGzip(acceptEncoding),
  };
  return { kind: "request", request, headLength };
}

/**
 * Whether an Accept-Encoding value accepts gzip as nginx reads it: a "gzip"
 * token at the start or after ',' or ' ', then the end, ',' or a ";q="
 * quality that is not zero.
 */
function acceptsGzip(value: string): boolean {
  const lc = value.toLowerCase();
  let at = -1;
  for (let from = 0;;) {
    at = lc.indexOf("gzip", from);
    if (at < 0) return false;
    if (at === 0 || lc[at - 1] === "," || lc[at - 1] === " ") break;
    from = at + 4;
  }
  let i = at + 4;
  while (i < lc.length && lc[i] === " ") i++;
  if (i >= lc.length || lc[i] === ",") return true;
  if (lc[i] !== ";") return false;
  i++;
  while (i < lc.length && lc[i] === " ") i++;
  if (i >= lc.length) return true;
  if (lc[i] !== "q" || lc[i + 1] !== "=") return false;
  const q = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)(?=$|[ ,;])/.exec(lc.slice(i + 2));
  return q !== null && Number(q[0]) > 0;
}
