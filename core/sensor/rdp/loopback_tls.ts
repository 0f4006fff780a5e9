import type { SensorSession } from "../sensor_service.ts";

/** A TLS server session over a client's connection, and how to end it. */
export interface LoopbackTls extends AsyncDisposable {
  /** The decrypted stream: read the client's records, write answers. */
  conn: Deno.TlsConn;
  /** Ends TLS and waits until everything written has reached the client. */
  close(): Promise<void>;
}

/**
 * Runs a TLS server over a session's connection that is already past a
 * plaintext start (RDP's X.224 exchange). Deno cannot start server-side TLS
 * on an accepted socket, so the client's bytes are piped to a one-shot
 * `Deno.listenTls` on the loopback and its answers piped back; the listener
 * takes exactly one connection, which must be this pipe's, and closes at once.
 *
 * @param session the client's session (buffered bytes are passed on first)
 * @param credentials the server certificate and key in PEM
 * @returns the TLS stream and its closer
 * @example
 * ```ts
 * import type { SensorSession } from "../sensor_service.ts";
 * declare const session: SensorSession, cert: string, key: string;
 * await using tls = await loopbackTls(session, { cert, key });
 * await tls.conn.handshake();
 * ```
 */
export async function loopbackTls(
  session: SensorSession,
  credentials: { cert: string; key: string },
): Promise<LoopbackTls> {
  const listener = Deno.listenTls({ hostname: "127.0.0.1", port: 0, ...credentials });
  let pipe: Deno.TcpConn | undefined;
  let conn: Deno.TlsConn;
  try {
    const accepted = listener.accept();
    pipe = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
    conn = await accepted;
    // The decky's loopback is shared with its other containers: take only our own pipe.
    if (conn.remoteAddr.port !== pipe.localAddr.port) {
      conn.close();
      throw new Deno.errors.ConnectionRefused(
        `Cannot pipe TLS: the loopback listener accepted port ${conn.remoteAddr.port}, not ${pipe.localAddr.port}`,
      );
    }
  } catch (e) {
    pipe?.close();
    throw e;
  } finally {
    listener.close();
  }
  const toServer = pump(session, pipe);
  const toClient = (async () => {
    const buffer = new Uint8Array(16 * 1024);
    try {
      for (let n = await pipe.read(buffer); n !== null; n = await pipe.read(buffer)) {
        await session.write(buffer.subarray(0, n));
      }
    } catch (e) {
      if (!isClosed(e)) throw e;
    }
  })();
  let closing: Promise<void> | undefined;
  const close = () =>
    closing ??= (async () => {
      closeQuietly(conn);
      // The pipe drains what the TLS server wrote last, then sees its end.
      await toClient;
      closeQuietly(pipe);
      // Nothing more goes to the client: its connection ends here, which ends the other pump.
      closeQuietly(session.conn);
      await toServer;
    })();
  return { conn, close, [Symbol.asyncDispose]: close };
}

/** Client -> loopback TLS server: what the session's reader holds, then the connection. */
async function pump(session: SensorSession, pipe: Deno.TcpConn): Promise<void> {
  try {
    if (session.reader.buffered > 0) await writeAll(pipe, (await session.reader.readSome())!);
    const buffer = new Uint8Array(16 * 1024);
    for (let n = await session.conn.read(buffer); n !== null; n = await session.conn.read(buffer)) {
      await writeAll(pipe, buffer.subarray(0, n));
    }
  } catch (e) {
    if (!isClosed(e)) throw e;
  }
  // The client is gone (or timed out): the TLS server reads its end.
  try {
    await pipe.closeWrite();
  } catch (e) {
    if (!isClosed(e)) throw e;
  }
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += await conn.write(bytes.subarray(written));
}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch (e) {
    if (!(e instanceof Deno.errors.BadResource)) throw e;
  }
}

/** Either end went away: the pipe's work is over, not failed. */
function isClosed(e: unknown): boolean {
  return e instanceof Deno.errors.BadResource || e instanceof Deno.errors.ConnectionReset ||
    e instanceof Deno.errors.BrokenPipe || e instanceof Deno.errors.Interrupted ||
    e instanceof Deno.errors.NotConnected || e instanceof Deno.errors.UnexpectedEof;
}
