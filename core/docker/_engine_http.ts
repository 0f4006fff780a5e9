// One HTTP/1.1 exchange with the Docker daemon on its own connection (`Connection:
// close`; an upgraded one is handed to the caller). The request body is written while
// the reply is read, so a daemon that answers early (an error status, or `docker
// import`'s progress stream) is heard, and a large body never deadlocks against it.
import type { DockerEndpoint } from "./docker_endpoint.ts";
import { EngineStatusError } from "./_engine_status_error.ts";
import { HttpReader } from "./_http_reader.ts";
import { concatBytes } from "./_concat_bytes.ts";

/** One request to the Engine API. */
export interface EngineRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path and query, e.g. `/containers/json?all=true`. */
  path: string;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as a tar archive: bytes with a Content-Length, or a stream in chunks. */
  tar?: Uint8Array | AsyncIterable<Uint8Array>;
  /** Asks the daemon to hand the connection over (`Upgrade: tcp`), as exec start does. */
  upgrade?: boolean;
  /** Aborts the exchange until the reply's head has arrived (the body is the caller's). */
  signal?: AbortSignal;
}

/** A successful reply whose body is still to be read. */
export interface EngineResponse {
  status: number;
  /** The body as it arrives (after an upgrade, the raw stream); the connection closes at its end. */
  body: AsyncIterable<Uint8Array>;
  /** The connection (an upgraded one is written to). */
  conn: Deno.Conn;
  /** Closes the connection; pending reads and writes then fail. Idempotent. */
  close(): void;
}

const encoder = new TextEncoder();
const CRLF = encoder.encode("\r\n");
const LAST_CHUNK = encoder.encode("0\r\n\r\n");
/** Bodies up to this size go out in one write with the head. */
const COALESCE_LIMIT = 16 * 1024;

/**
 * Sends `request` and reads the reply's head.
 * @throws {EngineStatusError} When the daemon answers with a status other than 2xx (or 101 to an upgrade).
 * @throws The socket error (`Deno.errors.*`) when the daemon cannot be reached or drops the connection;
 *   the request body's own error when its stream fails; `signal.reason` when aborted.
 */
export async function engineRequest(
  endpoint: DockerEndpoint,
  request: EngineRequest,
): Promise<EngineResponse> {
  const { signal } = request;
  signal?.throwIfAborted();
  const conn = endpoint.kind === "unix"
    ? await Deno.connect({ transport: "unix", path: endpoint.socketPath })
    : await Deno.connect({ hostname: endpoint.host, port: endpoint.port });
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    conn.close();
  };
  if (signal?.aborted) {
    close();
    throw signal.reason;
  }
  signal?.addEventListener("abort", close, { once: true });
  let sourceError: unknown;
  // A failing write (the daemon closed or answered early) is not reported here: the
  // reply, or the missing reply, says what happened.
  const writing = writeRequest(conn, endpoint, request, (e) => {
    sourceError = e;
    close();
  }).catch(() => {});
  const failure = (e: unknown): unknown => {
    close();
    if (signal?.aborted) return signal.reason;
    return sourceError ?? e;
  };
  try {
    const reader = new HttpReader(conn);
    const head = await reader.readHead();
    const upgraded = request.upgrade && (head.status === 101 || isSuccess(head.status));
    if (upgraded) {
      return { status: head.status, body: reader.rest(), conn, close };
    }
    const body = reader.body(head);
    if (!isSuccess(head.status)) {
      throw new EngineStatusError(head.status, errorDetail(await readAll(body)));
    }
    return {
      status: head.status,
      body: (async function* () {
        try {
          yield* body;
          // The daemon answers success only once it has read the whole request body.
          close();
          await writing;
        } catch (e) {
          throw failure(e);
        } finally {
          close();
        }
        if (sourceError !== undefined) throw sourceError;
      })(),
      conn,
      close,
    };
  } catch (e) {
    if (!(e instanceof EngineStatusError)) throw failure(e);
    close();
    throw e;
  } finally {
    signal?.removeEventListener("abort", close);
  }
}

/**
 * Reads a body whole.
 * @param options `close` (the reply's) is called when `signal` aborts, so the read then fails.
 */
export async function readAll(
  body: AsyncIterable<Uint8Array>,
  options: { signal?: AbortSignal; close?: () => void } = {},
): Promise<Uint8Array> {
  const { signal, close } = options;
  if (close) {
    if (signal?.aborted) close();
    signal?.addEventListener("abort", close, { once: true });
  }
  try {
    const chunks: Uint8Array[] = [];
    for await (const chunk of body) chunks.push(chunk);
    return concatBytes(chunks);
  } finally {
    if (close) signal?.removeEventListener("abort", close);
  }
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** The daemon's `{"message": ...}`, else the body's text (dockerode reported the same). */
function errorDetail(body: Uint8Array): string {
  const text = new TextDecoder().decode(body).trim();
  try {
    const json = JSON.parse(text) as { message?: unknown; error?: unknown };
    if (typeof json?.message === "string") return json.message;
    if (typeof json?.error === "string") return json.error;
  } catch {
    // Not JSON: the text is the message.
  }
  return text || "daemon error";
}

async function writeRequest(
  conn: Deno.Conn,
  endpoint: DockerEndpoint,
  request: EngineRequest,
  onSourceError: (e: unknown) => void,
): Promise<void> {
  const host = endpoint.kind === "unix"
    ? "localhost"
    : `${endpoint.host.includes(":") ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`;
  const lines = [`${request.method} ${request.path} HTTP/1.1`, `Host: ${host}`];
  let body: Uint8Array | AsyncIterable<Uint8Array> | undefined;
  if (request.json !== undefined) {
    body = encoder.encode(JSON.stringify(request.json));
    lines.push("Content-Type: application/json");
  } else if (request.tar !== undefined) {
    body = request.tar;
    lines.push("Content-Type: application/x-tar");
  }
  if (body instanceof Uint8Array) lines.push(`Content-Length: ${body.length}`);
  else if (body) lines.push("Transfer-Encoding: chunked");
  else if (request.method !== "GET") lines.push("Content-Length: 0");
  lines.push(request.upgrade ? "Connection: Upgrade\r\nUpgrade: tcp" : "Connection: close");
  const head = encoder.encode(lines.join("\r\n") + "\r\n\r\n");
  if (body === undefined) return await writeAll(conn, head);
  if (body instanceof Uint8Array) {
    if (body.length <= COALESCE_LIMIT) return await writeAll(conn, concatBytes([head, body]));
    await writeAll(conn, head);
    return await writeAll(conn, body);
  }
  await writeAll(conn, head);
  const chunks = body[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Uint8Array>;
    try {
      next = await chunks.next();
    } catch (e) {
      return onSourceError(e);
    }
    if (next.done) break;
    // An empty chunk would end the body early.
    if (next.value.length === 0) continue;
    await writeAll(conn, encoder.encode(next.value.length.toString(16) + "\r\n"));
    await writeAll(conn, next.value);
    await writeAll(conn, CRLF);
  }
  await writeAll(conn, LAST_CHUNK);
}

/**
 * Writes all of `bytes` (one `write` may take only part).
 * @throws The socket error when the connection is closed.
 */
export async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let offset = 0; offset < bytes.length;) {
    offset += await conn.write(bytes.subarray(offset));
  }
}
