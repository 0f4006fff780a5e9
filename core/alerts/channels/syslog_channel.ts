import dgram from "node:dgram";
import { isIP } from "node:net";
import type { Alert } from "../alert.ts";
import type { AlertChannel, SyslogChannelConfig } from "../alert_channel.ts";
import { ChannelError } from "../channel_error.ts";
import { asChannelError, connectStream } from "./_connect_stream.ts";
import { deadline } from "./_deadline.ts";
import { syslogMessage } from "./syslog_message.ts";

/** Largest UDP payload (IPv4); a longer message cannot be sent at all. */
const MAX_UDP_PAYLOAD = 65_507;

const encoder = new TextEncoder();

/**
 * RFC 5424 syslog to a SIEM over UDP (RFC 5426, one message a datagram),
 * TCP (RFC 6587 octet counting: `<length> <message>`) or TLS (RFC 5425, the
 * same framing, the collector's certificate verified against `ca_file` or
 * the system store). A TCP or TLS connection stays open between alerts;
 * when the collector closes it, the next alert reconnects. UDP has no
 * acknowledgement: a send succeeds when the datagram leaves.
 *
 * @example
 * ```ts
 * import { SyslogChannel } from "./syslog_channel.ts";
 * import { parseChannelConfig, type SyslogChannelConfig } from "../alert_channel.ts";
 * import type { Alert } from "../alert.ts";
 * declare const alert: Alert;
 * const config = parseChannelConfig({ type: "syslog", transport: "tcp", host: "127.0.0.1", port: 6514 });
 * await using channel = new SyslogChannel(config as SyslogChannelConfig);
 * await channel.send(alert);
 * ```
 */
export class SyslogChannel implements AlertChannel {
  readonly type = "syslog";
  readonly #config: SyslogChannelConfig;
  readonly #now: () => Date;
  #socket?: dgram.Socket;
  #conn?: Deno.Conn;
  #reader?: Promise<void>;
  // Sends go out one after another: two frames must never interleave on the stream.
  #queue: Promise<void> = Promise.resolve();
  #closed = false;

  /** @param options.now the clock for the header's TIMESTAMP @default () => new Date() */
  constructor(config: SyslogChannelConfig, options: { now?: () => Date } = {}) {
    this.#config = Object.freeze({ ...config });
    this.#now = options.now ?? (() => new Date());
  }

  send(alert: Alert, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#closed) {
      return Promise.reject(new ChannelError("channel closed", { retryable: true }));
    }
    const message = encoder.encode(syslogMessage(alert, this.#config, { now: this.#now() }));
    const sent = this.#queue.then(() =>
      this.#config.transport === "udp"
        ? this.#sendDatagram(message)
        : this.#sendFrame(message, signal)
    );
    this.#queue = sent.catch(() => {});
    return sent;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#queue;
    this.#dropConnection();
    await this.#reader;
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #sendDatagram(message: Uint8Array): Promise<void> {
    const { host, port } = this.#config;
    if (message.length > MAX_UDP_PAYLOAD) {
      return Promise.reject(
        new ChannelError(
          `Syslog message of ${message.length} bytes exceeds the UDP limit of ${MAX_UDP_PAYLOAD}`,
          { retryable: false },
        ),
      );
    }
    this.#socket ??= dgram.createSocket(isIP(host) === 6 ? "udp6" : "udp4");
    const socket = this.#socket;
    return new Promise((resolve, reject) => {
      socket.send(message, port, host, (error) => {
        if (error) reject(asChannelError(error, `Cannot send to ${host}:${port}`));
        else resolve();
      });
    });
  }

  async #sendFrame(message: Uint8Array, signal?: AbortSignal): Promise<void> {
    const prefix = encoder.encode(`${message.length} `);
    const frame = new Uint8Array(prefix.length + message.length);
    frame.set(prefix);
    frame.set(message, prefix.length);
    // A connection kept from an earlier alert may have died unnoticed: one fresh try.
    const reused = this.#conn !== undefined;
    try {
      await this.#writeFrame(frame, signal);
    } catch (e) {
      this.#dropConnection();
      if (!reused || signal?.aborted) throw e;
      await this.#writeFrame(frame, signal).catch((again) => {
        this.#dropConnection();
        throw again;
      });
    }
  }

  async #writeFrame(frame: Uint8Array, signal?: AbortSignal): Promise<void> {
    const { host, port, timeout_ms: timeoutMs } = this.#config;
    const conn = this.#conn ?? await this.#connect(signal);
    try {
      await deadline(writeAll(conn, frame), {
        timeoutMs,
        what: `Writing to ${host}:${port}`,
        signal,
      });
    } catch (e) {
      if (signal?.aborted) throw e;
      throw asChannelError(e, `Cannot write to ${host}:${port}`);
    }
  }

  async #connect(signal?: AbortSignal): Promise<Deno.Conn> {
    const c = this.#config;
    const conn = await connectStream({
      host: c.host,
      port: c.port,
      tls: c.transport === "tls" ? { caFile: c.ca_file, serverName: c.server_name } : undefined,
      timeoutMs: c.timeout_ms,
      signal,
    });
    this.#conn = conn;
    this.#reader = watchForClose(conn, () => {
      if (this.#conn === conn) this.#conn = undefined;
    });
    return conn;
  }

  #dropConnection(): void {
    const conn = this.#conn;
    this.#conn = undefined;
    try {
      conn?.close();
    } catch {
      // closed already
    }
  }
}

/**
 * Reads (and ignores) what the collector sends until it closes the
 * connection, then calls `onClose`: a collector restart is seen before the
 * next alert is written into a dead connection.
 */
async function watchForClose(conn: Deno.Conn, onClose: () => void): Promise<void> {
  const buffer = new Uint8Array(512);
  try {
    while ((await conn.read(buffer)) !== null) {
      // syslog collectors send nothing back
    }
  } catch {
    // reset or closed by us: either way the connection is gone
  }
  onClose();
}

async function writeAll(conn: Deno.Conn, data: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < data.length) offset += await conn.write(data.subarray(offset));
}
