import { ChannelError } from "../channel_error.ts";
import { deadline } from "./_deadline.ts";

/** Where and how {@linkcode connectStream} connects. */
export interface ConnectStreamOptions {
  host: string;
  port: number;
  /** Wrap the connection in TLS right away (the certificate is always verified). */
  tls?: TlsVerifyOptions;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** How a peer's certificate is checked. */
export interface TlsVerifyOptions {
  /** PEM file of trusted CAs; the system store when unset. */
  caFile?: string;
  /** Name (or IP) the certificate must carry. @default host */
  serverName?: string;
}

/**
 * A TCP connection to `host:port`, optionally TLS from the first byte
 * (syslog over TLS); connection failures as retryable {@linkcode ChannelError}s.
 */
export async function connectStream(options: ConnectStreamOptions): Promise<Deno.Conn> {
  const what = `${options.host}:${options.port}`;
  let conn: Deno.TcpConn;
  try {
    conn = await deadline(Deno.connect({ hostname: options.host, port: options.port }), {
      timeoutMs: options.timeoutMs,
      what: `Connecting to ${what}`,
      signal: options.signal,
      discard: (late) => late.close(),
    });
  } catch (e) {
    throw asChannelError(e, `Cannot connect to ${what}`);
  }
  if (!options.tls) return conn;
  return await startTls(conn, options.host, options.tls, options);
}

/**
 * Upgrades `conn` to TLS (at connect, or after SMTP's STARTTLS), verifying
 * the peer's certificate; closes `conn` on failure.
 */
export async function startTls(
  conn: Deno.TcpConn,
  host: string,
  tls: TlsVerifyOptions,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<Deno.TlsConn> {
  try {
    const caCerts = tls.caFile === undefined ? undefined : [await Deno.readTextFile(tls.caFile)];
    const hostname = tls.serverName ?? host;
    const secured = await deadline(Deno.startTls(conn, { hostname, caCerts }), {
      ...options,
      what: `TLS handshake with ${host}`,
      discard: (late) => late.close(),
    });
    await deadline(secured.handshake(), {
      ...options,
      what: `TLS handshake with ${host}`,
    }).catch((e) => {
      secured.close();
      throw e;
    });
    return secured;
  } catch (e) {
    try {
      conn.close();
    } catch {
      // already closed by the failed handshake
    }
    throw asChannelError(e, `TLS with ${host} failed`);
  }
}

/**
 * `e` as a ChannelError: kept when it already is one, else retryable with
 * `context` and the error's text. Network, TLS and file errors all pass or
 * get fixed (a collector back up, a CA file replaced, the worker re-spawned
 * with the channel's permission); the worker disables a channel that keeps
 * failing and shows this reason.
 */
export function asChannelError(e: unknown, context: string): ChannelError {
  if (e instanceof ChannelError) return e;
  return new ChannelError(`${context}: ${errorMessage(e)}`, { retryable: true, cause: e });
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
