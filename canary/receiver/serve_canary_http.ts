import type { Logger } from "../../core/log/mod.ts";
import { createProxyMatcher, normalizeIp } from "./client_ip.ts";
import {
  type Http1Limits,
  parseHttp1Request,
  renderNginxResponse,
  skipChunkedBody,
} from "../../core/http1/mod.ts";
import { ANSWER_GZIP, ANSWER_HEAD, ANSWER_KEEP_ALIVE, AnswerBytes } from "./answer_bytes.ts";
import { handleCanaryRequest, type HandleCanaryRequestOptions } from "./http_receiver.ts";
import { TokenCache } from "./token_cache.ts";
import { TriggerBatcher } from "./trigger_batcher.ts";
import type { TriggerSink } from "./trigger_sink.ts";

/** What nginx 1.22 on Debian bookworm sends with its stock config (server_tokens is on there). */
const DEFAULT_CANARY_SERVER_HEADER = "nginx/1.22.1";

/** Settings of the canary HTTP listener. */
export interface CanaryHttpConfig {
  /** Bind address. @default "0.0.0.0" */
  hostname?: string;
  /** Port; 0 picks a free one. @default 8088 */
  port?: number;
  /** Server header and error page footer. @default "nginx/1.22.1" */
  serverHeader?: string;
  /** CIDR blocks whose X-Forwarded-For is believed. @default [] */
  trustedProxies?: readonly string[];
}

/** Options for {@linkcode serveCanaryHttp}. */
export interface ServeCanaryHttpOptions {
  sink: TriggerSink;
  log: Logger;
  /** How long slug lookups are reused; 0 turns the cache off. @default 2000 */
  cacheTtlMs?: number;
  now?: () => Date;
  /** Connections served at once; more are closed on accept (nginx's worker_connections). @default 768 */
  maxConnections?: number;
  /** A request head not complete after this long closes the connection silently (client_header_timeout). @default 60000 */
  headerTimeoutMs?: number;
  /** An idle keep-alive connection is closed after this long (keepalive_timeout). @default 75000 */
  keepAliveTimeoutMs?: number;
  /** Body bytes must keep arriving within this long (client_body_timeout). @default 60000 */
  bodyTimeoutMs?: number;
  /** After a refusal, unread input is drained this long before closing, so the answer is not lost to a reset (lingering_timeout). @default 5000 */
  lingerMs?: number;
  /** Header buffer sizes and body limit; nginx's defaults. */
  limits?: Http1Limits;
}

/** A running canary HTTP listener. */
export interface CanaryHttpServer extends AsyncDisposable {
  readonly hostname: string;
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  /** Stops listening, closes connections and waits for recordings in flight. */
  close(): Promise<void>;
}

/** nginx's keepalive_requests: the 1000th request on a connection is answered with close. */
const KEEPALIVE_REQUESTS = 1000;
/** nginx's keepalive_time: a connection open longer than an hour is closed after its answer. */
const KEEPALIVE_TIME_MS = 3600_000;
/** Chunked bodies are skipped in memory up to this size; a larger one ends the connection after the answer. */
const MAX_CHUNKED_BUFFER = 64 * 1024;

/**
 * Starts the attacker-facing HTTP listener: a raw HTTP/1.x responder on
 * `Deno.listen` that answers byte for byte as Debian's nginx 1.22 does when
 * it serves `empty_gif` at `/c/<slug>` of each active slug and its stock 404
 * elsewhere (Deno.serve would lower-case header names and answer malformed
 * requests itself). Reads are bounded by nginx's header buffers, heads and
 * bodies by its timeouts, connections by a cap.
 *
 * @example
 * ```ts
 * import type { Logger } from "../../core/log/logger.ts";
 * import type { TriggerSink } from "./trigger_sink.ts";
 * declare const log: Logger;
 * declare const sink: TriggerSink;
 * await using http = serveCanaryHttp({ port: 0 }, { sink, log });
 * console.log(http.port);
 * ```
 */
export function serveCanaryHttp(
  config: CanaryHttpConfig,
  options: ServeCanaryHttpOptions,
): CanaryHttpServer {
  const server = config.serverHeader ?? DEFAULT_CANARY_SERVER_HEADER;
  const proxies = createProxyMatcher(config.trustedProxies ?? []);
  // Off (0) when the sink answers from memory: then every lookup goes straight to it.
  const cache = options.cacheTtlMs === 0
    ? undefined
    : new TokenCache({ ttlMs: options.cacheTtlMs });
  const batcher = new TriggerBatcher(options.sink);
  const record = batcher.record.bind(batcher);
  const settle = batcher.settle.bind(batcher);
  const now = options.now ?? (() => new Date());
  // The default clock makes no Date per answer (only AnswerBytes' once a second).
  const optionsNow = options.now;
  const nowMs = optionsNow ? () => optionsNow().getTime() : Date.now;
  const log = options.log;
  const listener = Deno.listen({
    hostname: config.hostname ?? "0.0.0.0",
    port: config.port ?? 8088,
    transport: "tcp",
  });
  const addr = listener.addr as Deno.NetAddr;
  const ctx: ConnectionContext = {
    server,
    answers: new AnswerBytes(server),
    now,
    nowMs,
    limits: options.limits ?? {},
    headerTimeoutMs: options.headerTimeoutMs ?? 60_000,
    keepAliveTimeoutMs: options.keepAliveTimeoutMs ?? 75_000,
    bodyTimeoutMs: options.bodyTimeoutMs ?? 60_000,
    lingerMs: options.lingerMs ?? 5_000,
    log,
    handler: { sink: options.sink, proxies, log, now, cache, record, settle },
  };
  const connections = new Set<Deno.Conn>();
  const handlers = new Set<Promise<void>>();
  const maxConnections = options.maxConnections ?? 768;
  const acceptLoop = (async () => {
    try {
      for await (const conn of listener) {
        if (connections.size >= maxConnections) {
          conn.close();
          continue;
        }
        connections.add(conn);
        const h: Promise<void> = serveConnection(conn, ctx)
          .catch((e) => log.debug("canary http connection ended", { error: String(e) }))
          .finally(() => {
            connections.delete(conn);
            handlers.delete(h);
            closeQuietly(conn);
          });
        handlers.add(h);
      }
    } catch (e) {
      if (!(e instanceof Deno.errors.BadResource)) {
        log.error("canary http accept failed", { error: String(e) });
      }
    }
  })();
  let closed: Promise<void> | undefined;
  const close = () =>
    closed ??= (async () => {
      listener.close();
      await acceptLoop;
      for (const conn of connections) closeQuietly(conn);
      await Promise.all(handlers);
    })();
  return {
    hostname: addr.hostname,
    port: addr.port,
    close,
    [Symbol.asyncDispose]: close,
  };
}

interface ConnectionContext {
  server: string;
  answers: AnswerBytes;
  now: () => Date;
  /** The same clock in epoch ms. */
  nowMs: () => number;
  limits: Http1Limits;
  headerTimeoutMs: number;
  keepAliveTimeoutMs: number;
  bodyTimeoutMs: number;
  lingerMs: number;
  log: Logger;
  /** handleCanaryRequest's options but the peer (one object per connection, not per request). */
  handler: Omit<HandleCanaryRequestOptions, "peerIp">;
}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // already closed (timer, close() or the peer)
  }
}

/**
 * Bytes read from a connection, with a deadline that closes it when it
 * passes. A deadline is set two or three times a request; one timer per
 * connection stays armed and is moved only when a deadline comes earlier
 * than it (when it fires before the current deadline it re-arms itself),
 * because arming and clearing a Deno timer per request cost more than the
 * rest of the request's JavaScript.
 */
class ConnReader {
  #buf = new Uint8Array(0);
  readonly #chunk = new Uint8Array(16 * 1024);
  readonly #conn: Deno.Conn;
  /** When the connection is closed (performance.now() ms); Infinity: no deadline. */
  #deadlineAt = Infinity;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Infinity;

  constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  get bytes(): Uint8Array {
    return this.#buf;
  }

  /** Drops the first `n` bytes. */
  consume(n: number): void {
    this.#buf = this.#buf.subarray(n);
  }

  /** Closes the connection if the next reads do not finish within `ms`. */
  deadline(ms: number): void {
    this.#deadlineAt = performance.now() + ms;
    if (this.#deadlineAt < this.#timerAt) this.#arm(this.#deadlineAt);
  }

  /** No deadline until the next `deadline()`. */
  clear(): void {
    this.#deadlineAt = Infinity;
  }

  /** Stops the timer (the connection is done). */
  close(): void {
    this.#deadlineAt = Infinity;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
  }

  #arm(at: number): void {
    clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(() => this.#expire(), Math.max(0, at - performance.now()));
  }

  #expire(): void {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    if (this.#deadlineAt === Infinity) return;
    if (performance.now() >= this.#deadlineAt) closeQuietly(this.#conn);
    else this.#arm(this.#deadlineAt);
  }

  /**
   * Reads once more; false at end of input. With nothing buffered (the
   * usual case: a whole request per read) the bytes are a view of the read
   * buffer, not a copy; bytes left over are copied out of it before it is
   * read into again.
   */
  async more(): Promise<boolean> {
    if (this.#buf.length === 0) {
      const n = await this.#conn.read(this.#chunk);
      if (n === null) return false;
      this.#buf = this.#chunk.subarray(0, n);
      return true;
    }
    const kept = this.#buf.buffer === this.#chunk.buffer ? this.#buf.slice() : this.#buf;
    this.#buf = kept;
    const n = await this.#conn.read(this.#chunk);
    if (n === null) return false;
    const next = new Uint8Array(kept.length + n);
    next.set(kept);
    next.set(this.#chunk.subarray(0, n), kept.length);
    this.#buf = next;
    return true;
  }
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += await conn.write(bytes.subarray(written));
}

/**
 * Half-closes and drains what the client still sends (nginx's lingering
 * close), so closing with unread input does not reset the connection before
 * the client has read the answer.
 */
async function lingeringClose(conn: Deno.Conn, reader: ConnReader, lingerMs: number) {
  try {
    await conn.closeWrite();
    reader.consume(reader.bytes.length);
    reader.deadline(lingerMs);
    const sink = new Uint8Array(16 * 1024);
    for (let total = 0; total < 1024 * 1024;) {
      const n = await conn.read(sink);
      if (n === null) break;
      total += n;
    }
  } finally {
    reader.clear();
  }
}

async function serveConnection(conn: Deno.Conn, ctx: ConnectionContext): Promise<void> {
  const peerIp = normalizeIp((conn.remoteAddr as Deno.NetAddr).hostname);
  const reader = new ConnReader(conn);
  const handler: HandleCanaryRequestOptions = { ...ctx.handler, peerIp };
  const openedAt = ctx.nowMs();
  try {
    for (let served = 0;; served++) {
      // A pipelined request already begun is a head in progress, not an idle connection.
      let started = served === 0 || reader.bytes.length > 0;
      reader.deadline(started ? ctx.headerTimeoutMs : ctx.keepAliveTimeoutMs);
      let result = parseHttp1Request(reader.bytes, ctx.limits);
      while (result.kind === "incomplete") {
        if (!await reader.more()) return;
        if (!started) {
          // The keep-alive wait is over: the head now has client_header_timeout.
          started = true;
          reader.deadline(ctx.headerTimeoutMs);
        }
        result = parseHttp1Request(reader.bytes, ctx.limits);
      }
      reader.clear();
      if (result.kind === "refused") {
        const { status, http09, reason, headOnly, msie } = result.refusal;
        ctx.log.debug("canary http request refused", { status, reason });
        await writeAll(
          conn,
          renderNginxResponse(status, {
            server: ctx.server,
            date: ctx.now(),
            keepAlive: false,
            http09,
            headOnly,
            msie,
          }),
        );
        await lingeringClose(conn, reader, ctx.lingerMs);
        return;
      }
      const { request, headLength } = result;
      reader.consume(headLength);
      const status = await handleCanaryRequest(request, handler);
      // nginx discards the body bytes already received before it answers: a chunked body it
      // finds invalid there ends the connection (Connection: close).
      const badBody = request.chunked && skipChunkedBody(reader.bytes, 0).kind === "invalid";
      const nowMs = ctx.nowMs();
      const keepAlive = request.keepAlive && !badBody && served + 1 < KEEPALIVE_REQUESTS &&
        nowMs - openedAt <= KEEPALIVE_TIME_MS;
      const headOnly = request.method === "HEAD";
      // HTTP/0.9 and MSIE answers are rare: made each time.
      const answer = request.http09 || request.msie
        ? renderNginxResponse(status, {
          server: ctx.server,
          date: new Date(nowMs),
          keepAlive,
          headOnly,
          http09: request.http09,
          msie: request.msie,
          gzip: request.gzip,
        })
        : ctx.answers.render(
          status,
          (keepAlive ? ANSWER_KEEP_ALIVE : 0) | (headOnly ? ANSWER_HEAD : 0) |
            (request.gzip ? ANSWER_GZIP : 0),
          nowMs,
        );
      // One write, unless the socket takes less (no async frame per answer for the rest).
      const written = await conn.write(answer);
      if (written < answer.length) await writeAll(conn, answer.subarray(written));
      if (!keepAlive) {
        if (reader.bytes.length > 0 || request.contentLength > 0 || request.chunked) {
          await lingeringClose(conn, reader, ctx.lingerMs);
        }
        return;
      }
      if (!await skipBody(reader, request.contentLength, request.chunked, ctx.bodyTimeoutMs)) {
        await lingeringClose(conn, reader, ctx.lingerMs);
        return;
      }
    }
  } finally {
    reader.close();
  }
}

/** Reads past the request body; false when the connection cannot carry another request. */
async function skipBody(
  reader: ConnReader,
  contentLength: number,
  chunked: boolean,
  timeoutMs: number,
): Promise<boolean> {
  let left = contentLength;
  for (;;) {
    if (chunked) {
      const r = skipChunkedBody(reader.bytes, 0);
      if (r.kind === "done") {
        reader.consume(r.end);
        return true;
      }
      if (r.kind === "invalid" || reader.bytes.length > MAX_CHUNKED_BUFFER) return false;
    } else {
      const n = Math.min(left, reader.bytes.length);
      reader.consume(n);
      left -= n;
      if (left === 0) return true;
    }
    reader.deadline(timeoutMs);
    if (!await reader.more()) return false;
  }
}
