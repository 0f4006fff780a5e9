import { ChannelError } from "../channel_error.ts";
import { asChannelError, startTls, type TlsVerifyOptions } from "./_connect_stream.ts";
import { deadline } from "./_deadline.ts";

/** One SMTP reply: the code and its text lines. */
export interface SmtpReply {
  code: number;
  lines: string[];
}

const MAX_LINE = 4096;
const MAX_REPLY_LINES = 200;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The client side of one SMTP connection: commands out, (multi-line) replies
 * in, each step under the channel's timeout, STARTTLS upgrade in place.
 */
export class SmtpSession {
  #conn: Deno.Conn;
  #buffer = "";
  #tls = false;
  readonly #host: string;
  readonly #timeoutMs: number;
  readonly #signal?: AbortSignal;

  constructor(
    conn: Deno.TcpConn,
    options: { host: string; timeoutMs: number; signal?: AbortSignal },
  ) {
    this.#conn = conn;
    this.#host = options.host;
    this.#timeoutMs = options.timeoutMs;
    this.#signal = options.signal;
  }

  /** Whether the connection is TLS now. */
  get tls(): boolean {
    return this.#tls;
  }

  /** Sends one command line (CRLF added); `shown` replaces it in errors (AUTH lines). */
  async command(line: string, shown = line): Promise<SmtpReply> {
    await this.write(`${line}\r\n`);
    return await this.reply(shown);
  }

  async write(text: string): Promise<void> {
    const data = encoder.encode(text);
    await this.#step(
      (async () => {
        let offset = 0;
        while (offset < data.length) offset += await this.#conn.write(data.subarray(offset));
      })(),
      "writing",
    );
  }

  /** Reads one reply; `after` names what it answers, for errors. */
  async reply(after: string): Promise<SmtpReply> {
    const lines: string[] = [];
    while (true) {
      const line = await this.#readLine(after);
      const match = /^(\d{3})([ -])(.*)$/.exec(line);
      if (!match) {
        throw new ChannelError(`SMTP ${this.#host} sent a malformed reply to ${after}`, {
          retryable: true,
        });
      }
      lines.push(match[3]);
      if (lines.length > MAX_REPLY_LINES) {
        throw new ChannelError(`SMTP ${this.#host} reply to ${after} is too long`, {
          retryable: true,
        });
      }
      if (match[2] === " ") return { code: Number(match[1]), lines };
    }
  }

  /** Upgrades to TLS after a 220 answer to STARTTLS; the buffered plaintext must be empty. */
  async startTls(tls: TlsVerifyOptions): Promise<void> {
    if (this.#buffer !== "") {
      throw new ChannelError(`SMTP ${this.#host} sent data after STARTTLS`, { retryable: true });
    }
    this.#conn = await startTls(this.#conn as Deno.TcpConn, this.#host, tls, {
      timeoutMs: this.#timeoutMs,
      signal: this.#signal,
    });
    this.#tls = true;
  }

  close(): void {
    try {
      this.#conn.close();
    } catch {
      // closed already
    }
  }

  async #readLine(after: string): Promise<string> {
    while (true) {
      const end = this.#buffer.indexOf("\n");
      if (end >= 0) {
        const line = this.#buffer.slice(0, end).replace(/\r$/, "");
        this.#buffer = this.#buffer.slice(end + 1);
        return line;
      }
      if (this.#buffer.length > MAX_LINE) {
        throw new ChannelError(`SMTP ${this.#host} sent an overlong line`, { retryable: true });
      }
      const chunk = new Uint8Array(4096);
      const n = await this.#step(this.#conn.read(chunk), `waiting for the reply to ${after}`);
      if (n === null) {
        throw new ChannelError(
          `SMTP ${this.#host} closed the connection before replying to ${after}`,
          {
            retryable: true,
          },
        );
      }
      this.#buffer += decoder.decode(chunk.subarray(0, n), { stream: true });
    }
  }

  async #step<T>(work: Promise<T>, what: string): Promise<T> {
    try {
      return await deadline(work, {
        timeoutMs: this.#timeoutMs,
        what: `SMTP ${this.#host} ${what}`,
        signal: this.#signal,
      });
    } catch (e) {
      if (this.#signal?.aborted) throw e;
      throw asChannelError(e, `SMTP ${this.#host} ${what}`);
    }
  }
}
