import {
  type Http1Request,
  type NginxStatus,
  parseHttp1Request,
  renderNginxProxied,
  renderNginxResponse,
  skipChunkedBody,
} from "../../http1/mod.ts";
import type { SensorService, SensorSession } from "../sensor_service.ts";
import { wireText } from "../wire_text.ts";
import { formCredentials } from "./form_credentials.ts";
import { type HttpNtlmState, httpNtlmStep, NTLM_OFFER } from "./http_ntlm.ts";
import { loginPage } from "./login_page.ts";

/** Debian bookworm's nginx with its stock server_tokens, as the canary listener sends. */
const DEFAULT_SERVER = "nginx/1.22.1";
const DEFAULT_HOSTNAME = "intranet";
/** Paths the application answers with its sign-in page. */
const LOGIN_PATHS = new Set(["/", "/index.html", "/index.php", "/login", "/login.php"]);
/** Path prefixes behind nginx's auth_basic. */
const BASIC_PREFIXES = ["/admin", "/manager", "/private"];
const BASIC_CHALLENGE = 'Basic realm="Restricted"';
/** Path prefixes of a Windows application proxied by nginx, behind NTLM (IIS's Negotiate/NTLM). */
const NTLM_PREFIXES = ["/ews", "/autodiscover", "/rpc"];
/** The application's own headers on its pages (no cache, no framing). */
const PAGE_HEADERS: [string, string][] = [
  ["Cache-Control", "no-store, no-cache, must-revalidate"],
  ["Pragma", "no-cache"],
  ["X-Frame-Options", "SAMEORIGIN"],
];
/** Body bytes held for form parsing; the rest of a larger body is read and dropped. */
const BODY_KEEP = 64 * 1024;
/** Body bytes recorded in a request event. */
const BODY_EXCERPT = 2048;
/** Bytes of a refused head recorded. */
const RAW_EXCERPT = 512;
/** nginx's keepalive_requests. */
const KEEPALIVE_REQUESTS = 1000;
/** nginx drains at most this much after refusing, so its answer is read before the close. */
const LINGER_BYTES = 1024 * 1024;

/**
 * An HTTP service answering as an internal web application behind Debian's
 * nginx 1.22: a sign-in page named after the decky at `/`, auth_basic under
 * /admin, NTLM under /ews (a Windows application behind it), nginx's own pages (404, 405, 400 for malformed heads, byte for
 * byte through core/http1) elsewhere. Every request is recorded (method,
 * target, headers, user agent, a body excerpt), and form, Basic and NTLM
 * credentials as credential events (NTLM with its hashcat line).
 *
 * @example
 * ```ts
 * import { serveSensor } from "../serve_sensor.ts";
 * await using sensor = serveSensor({ decky: "web01", services: [{ service: httpService }], sink: () => {} });
 * ```
 */
export const httpService: SensorService = {
  name: "http",
  defaultPort: 80,
  // nginx's client_header_timeout / keepalive_timeout are 60 s / 75 s.
  idleTimeoutMs: 75_000,
  serve: serveHttp,
};

async function serveHttp(session: SensorSession): Promise<void> {
  const server = session.options.banner ?? DEFAULT_SERVER;
  let buf: Uint8Array = new Uint8Array(0);
  const ntlm: HttpNtlmState = {};
  for (let served = 0;; served++) {
    let result = parseHttp1Request(buf);
    while (result.kind === "incomplete") {
      const chunk = await session.reader.readSome();
      if (chunk === null) return;
      buf = concat(buf, chunk);
      result = parseHttp1Request(buf);
    }
    if (result.kind === "refused") {
      const { status, reason, http09, headOnly, msie } = result.refusal;
      session.emit("request", {
        refused: status,
        reason,
        raw: wireText(buf.subarray(0, RAW_EXCERPT)),
      });
      await session.write(renderNginxResponse(status, {
        server,
        date: session.now(),
        keepAlive: false,
        http09,
        headOnly,
        msie,
      }));
      return await lingeringClose(session);
    }
    const { request, headLength } = result;
    buf = buf.slice(headLength);
    const body = await readBody(session, request, buf);
    if (body === null) return;
    buf = body.rest;
    const answer = answerRequest(session, request, body.kept, ntlm);
    const keepAlive = request.keepAlive && body.complete && served + 1 < KEEPALIVE_REQUESTS;
    const date = session.now();
    const headOnly = request.method === "HEAD";
    await session.write(
      answer.status === 200
        ? renderNginxProxied(answer.page!, {
          server,
          date,
          keepAlive,
          contentType: "text/html; charset=UTF-8",
          headers: PAGE_HEADERS,
          headOnly,
          gzip: request.gzip,
        })
        : renderNginxResponse(answer.status, {
          server,
          date,
          keepAlive,
          headOnly,
          http09: request.http09,
          msie: request.msie,
          gzip: request.gzip,
          wwwAuthenticate: answer.challenge,
        }),
    );
    if (!keepAlive) return await lingeringClose(session);
  }
}

interface Body {
  /** The first BODY_KEEP bytes. */
  kept: Uint8Array;
  /** Bytes after the body (a pipelined request). */
  rest: Uint8Array;
  /** false: a body the connection cannot go on after (invalid or too large chunked). */
  complete: boolean;
}

/** Reads the request body, keeping at most BODY_KEEP bytes of it; null when the client leaves. */
async function readBody(
  session: SensorSession,
  request: Http1Request,
  buffered: Uint8Array,
): Promise<Body | null> {
  let buf = buffered;
  if (request.chunked) {
    for (;;) {
      const r = skipChunkedBody(buf, 0);
      if (r.kind === "done") {
        return { kept: new Uint8Array(0), rest: buf.slice(r.end), complete: true };
      }
      if (r.kind === "invalid" || buf.length > BODY_KEEP) {
        return { kept: new Uint8Array(0), rest: new Uint8Array(0), complete: false };
      }
      const chunk = await session.reader.readSome();
      if (chunk === null) return null;
      buf = concat(buf, chunk);
    }
  }
  const length = request.contentLength;
  while (buf.length < Math.min(length, BODY_KEEP)) {
    const chunk = await session.reader.readSome();
    if (chunk === null) return null;
    buf = concat(buf, chunk);
  }
  const kept = buf.slice(0, Math.min(length, BODY_KEEP));
  if (buf.length >= length) return { kept, rest: buf.slice(length), complete: true };
  for (let left = length - buf.length; left > 0;) {
    const chunk = await session.reader.readSome();
    if (chunk === null) return null;
    if (chunk.length > left) return { kept, rest: chunk.slice(left), complete: true };
    left -= chunk.length;
  }
  return { kept, rest: new Uint8Array(0), complete: true };
}

interface Answer {
  status: NginxStatus;
  /** The page of a 200. */
  page?: string;
  challenge?: string[];
}

/** Records the request and any credentials in it, and picks the answer. */
function answerRequest(
  session: SensorSession,
  request: Http1Request,
  body: Uint8Array,
  ntlm: HttpNtlmState,
): Answer {
  const header = (name: string) => request.headers.find(([n]) => n.toLowerCase() === name)?.[1];
  session.emit("request", {
    method: wireText(request.method),
    path: wireText(request.target),
    http_version: request.http09
      ? "0.9"
      : `${Math.floor(request.version / 1000)}.${request.version % 1000}`,
    headers: request.headers.map(([n, v]) => [wireText(n), wireText(v)]),
    user_agent: wireText(header("user-agent") ?? ""),
    ...(body.length > 0
      ? { body: wireText(body.subarray(0, BODY_EXCERPT)), body_length: body.length }
      : {}),
  });
  const authorization = header("authorization");
  const under = (prefixes: string[]) =>
    prefixes.some((p) => request.path === p || request.path.startsWith(`${p}/`));
  if (under(NTLM_PREFIXES)) {
    const challenge = authorization === undefined
      ? NTLM_OFFER
      : httpNtlmStep(session, authorization, ntlm);
    return { status: 401, challenge: [...challenge] };
  }
  const basic = authorization === undefined ? null : basicCredentials(authorization);
  if (basic !== null) recordLogin(session, basic.username, basic.password, "basic", "http_basic");
  const hostname = session.options.hostname ?? DEFAULT_HOSTNAME;
  if (LOGIN_PATHS.has(request.path)) {
    if (request.method === "GET" || request.method === "HEAD") {
      return { status: 200, page: loginPage({ hostname }) };
    }
    if (request.method !== "POST") return { status: 405 };
    const form = formCredentials(latin1(body));
    if (form === null) return { status: 200, page: loginPage({ hostname }) };
    recordLogin(session, form.username, form.password, "form", "password");
    return { status: 200, page: loginPage({ hostname, error: "Invalid username or password." }) };
  }
  if (under(BASIC_PREFIXES)) {
    return { status: 401, challenge: [BASIC_CHALLENGE] };
  }
  return { status: 404 };
}

function recordLogin(
  session: SensorSession,
  username: string,
  password: string,
  method: string,
  kind: "password" | "http_basic",
): void {
  const accepted = (session.options.accept ?? []).some((c) =>
    c.username === username && c.password === password
  );
  session.emit("auth_attempt", { username, method, accepted });
  session.emit("credential", { username, secret_kind: kind, secret: password });
  if (accepted) session.emit("auth_success", { username });
}

/** The user and password of an `Authorization: Basic` value; null for another scheme or bad base64. */
function basicCredentials(value: string): { username: string; password: string } | null {
  const m = /^basic[ \t]+([A-Za-z0-9+/=]+)\s*$/i.exec(value);
  if (m === null) return null;
  let decoded: string;
  try {
    decoded = atob(m[1]);
  } catch (e) {
    if (e instanceof DOMException) return null;
    throw e;
  }
  const colon = decoded.indexOf(":");
  if (colon < 0) return { username: wireText(decoded), password: "" };
  return {
    username: wireText(decoded.slice(0, colon)),
    password: wireText(decoded.slice(colon + 1)),
  };
}

/**
 * Half-closes and reads what the client still sends, as nginx's lingering
 * close does, so closing with unread input does not reset the connection
 * before the client has read the answer (bounded; the idle timeout ends it).
 */
async function lingeringClose(session: SensorSession): Promise<void> {
  await session.conn.closeWrite();
  for (let total = 0; total < LINGER_BYTES;) {
    const chunk = await session.reader.readSome();
    if (chunk === null) return;
    total += chunk.length;
  }
}

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
