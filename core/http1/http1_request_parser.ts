/*
 * A pure HTTP/1.x request-head parser that accepts and refuses what nginx 1.22
 * (Debian's stock configuration) accepts and refuses, so the canary listener
 * can answer malformed input exactly as nginx does. It works on the bytes
 * received so far and says "incomplete" until it can decide; errors are
 * reported as soon as nginx would report them (an invalid byte in the request
 * line, a line too long for its buffers), not only at the end of the head.
 */
import { NginxHeaderBuffers } from "./_nginx_header_buffers.ts";
import { parseRequestLine, type RequestLine } from "./_http1_request_line.ts";
import {
  CR,
  type Http1Refusal,
  INCOMPLETE,
  latin1,
  LF,
  refuse,
  SP,
  type Step,
} from "./_http1_step.ts";
import { isValidHost } from "./_nginx_host.ts";
import { normalizeHttpPath } from "./normalize_http_path.ts";

export type { Http1Refusal } from "./_http1_step.ts";

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

/** The outcome of {@linkcode parseHttp1Request}. */
export type Http1ParseResult =
  | { kind: "incomplete" }
  | { kind: "refused"; refusal: Http1Refusal }
  | {
    kind: "request";
    request: Http1Request; /** Bytes of the head, body excluded. */
    headLength: number;
  };

/** Bytes nginx keeps in header names (its lowcase table): letters, digits and '-'. */
function isNameByte(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) ||
    c === 0x2d;
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

/** Header fields nginx refuses to see twice. */
const UNIQUE_HEADERS = new Set(["host", "content-length", "transfer-encoding"]);

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
  const result = parseHead(buf, { ...DEFAULT_LIMITS, ...limits });
  if (result.kind === "refused" && startsWithHead(buf)) result.refusal.headOnly = true;
  return result;
}

/** Whether the request line (after blank lines) begins with the method HEAD and its space. */
function startsWithHead(buf: Uint8Array): boolean {
  let i = 0;
  while (i < buf.length && (buf[i] === CR || buf[i] === LF)) i++;
  return buf.length - i >= 5 && latin1(buf, i, i + 5) === "HEAD ";
}

function parseHead(buf: Uint8Array, lim: Required<Http1Limits>): Http1ParseResult {
  const line = parseRequestLine(buf, lim.largeBufferBytes);
  if (line.kind !== "ok") return line;
  const rl = line.value;
  // nginx checks the host and path as soon as the request line is complete, before reading headers.
  if (rl.host !== null && !isValidHost(rl.host)) return refuse(400, "invalid host in target");
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
  const buffers = new NginxHeaderBuffers(
    lim.headerBufferBytes,
    lim.largeBuffers,
    lim.largeBufferBytes,
  );
  // The request line sits in the first buffer, or alone at the start of a large one.
  buffers.place(rl.end - rl.start);
  const headers: [string, string][] = [];
  const agent = { msie: false, msie6: false, seen: false };
  const result = parseHeaders(buf, rl, path, headers, agent, buffers, lim);
  if (result.kind === "refused") result.refusal.msie = agent.msie;
  return result;
}

/** What nginx learns from the first User-Agent line (keepalive_disable msie6, msie_padding). */
interface AgentFlags {
  msie: boolean;
  msie6: boolean;
  seen: boolean;
}

function parseHeaders(
  buf: Uint8Array,
  rl: RequestLine,
  path: string,
  headers: [string, string][],
  agent: AgentFlags,
  buffers: NginxHeaderBuffers,
  lim: Required<Http1Limits>,
): Http1ParseResult {
  let at = rl.end;
  for (;;) {
    const h = parseHeaderLine(buf, at);
    if (h.kind === "incomplete") {
      // The partial line already needs more room than nginx has left.
      return buffers.fits(buf.length - at + 1)
        ? INCOMPLETE
        : refuse(494, "header line does not fit the header buffers");
    }
    if (h.kind === "refused") return h;
    if (h.value === null) {
      at = buf[at] === CR ? at + 2 : at + 1;
      break;
    }
    if (!buffers.place(h.value.end - at)) {
      return refuse(494, "header line does not fit the header buffers");
    }
    if (h.value.name !== null) {
      // Debian's nginx 1.22 refuses a head with more than 1000 kept header fields as too large.
      if (headers.length >= MAX_HEADER_FIELDS) return refuse(494, "more than 1000 header fields");
      // Like nginx, refuse a bad or repeated Host, or a repeated length header, on its own line.
      const lc = h.value.name.toLowerCase();
      if (UNIQUE_HEADERS.has(lc) && headers.some(([n]) => n.toLowerCase() === lc)) {
        return refuse(400, `duplicate ${h.value.name}`);
      }
      if (lc === "host" && !isValidHost(h.value.value)) return refuse(400, "invalid Host");
      if (lc === "user-agent" && !agent.seen) Object.assign(agent, userAgentFlags(h.value.value));
      headers.push([h.value.name, h.value.value]);
    }
    at = h.value.end;
  }
  return finishHead(rl, path, headers, at, lim, agent);
}

/** nginx's reading of a User-Agent: "MSIE x" (not Opera), and MSIE 4-6 without SV1 as msie6. */
function userAgentFlags(ua: string): AgentFlags {
  const at = ua.indexOf("MSIE ");
  let msie = at >= 0 && at + 7 < ua.length;
  let msie6 = msie && ua[at + 6] === "." &&
    (ua[at + 5] === "4" || ua[at + 5] === "5" ||
      (ua[at + 5] === "6" && !ua.slice(at + 8).includes("SV1")));
  if (ua.includes("Opera")) msie = msie6 = false;
  return { msie, msie6, seen: true };
}

function finishHead(
  rl: RequestLine,
  path: string,
  headers: [string, string][],
  headLength: number,
  lim: Required<Http1Limits>,
  agent: AgentFlags,
): Http1ParseResult {
  let host: string | null = null;
  let contentLength: string | null = null;
  let transferEncoding: string | null = null;
  let connection: string | null = null;
  let acceptEncoding: string | null = null;
  let via = false;
  for (const [name, value] of headers) {
    const lc = name.toLowerCase();
    if (lc === "host") {
      host = value;
    } else if (lc === "content-length") {
      contentLength = value;
    } else if (lc === "transfer-encoding") {
      transferEncoding = value;
    } else if (lc === "connection") {
      connection = value;
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
  // keepalive_disable msie6: no keep-alive for a POST from an old MSIE.
  const keepAlive = !(agent.msie6 && rl.method === "POST") &&
    (conn.includes("close") ? false : conn.includes("keep-alive") ? true : rl.version > 1000);
  const msie = agent.msie;
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
