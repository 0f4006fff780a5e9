import type { Alert } from "../alert.ts";
import type { AlertChannel, SmtpChannelConfig } from "../alert_channel.ts";
import { ChannelError } from "../channel_error.ts";
import { connectStream } from "./_connect_stream.ts";
import { type SmtpReply, SmtpSession } from "./_smtp_session.ts";
import { mailMessage } from "./mail_message.ts";
import { maskAlertSecrets } from "./mask_alert_secrets.ts";

/**
 * Mails each alert through a relay: one SMTP session per alert (EHLO,
 * STARTTLS when offered or required, AUTH PLAIN or LOGIN when configured,
 * MAIL, RCPT per recipient, DATA, QUIT). The relay's certificate is always
 * verified; credentials are never sent without TLS. A 5xx answer to MAIL,
 * RCPT (every recipient) or DATA is final; everything else (4xx, timeouts,
 * network, TLS and auth problems an operator can fix) is retryable. When
 * some recipients are refused and others accepted, the mail goes to those
 * accepted and the send succeeds.
 *
 * @example
 * ```ts
 * import { SmtpChannel } from "./smtp_channel.ts";
 * import { parseChannelConfig, type SmtpChannelConfig } from "../alert_channel.ts";
 * import type { Alert } from "../alert.ts";
 * declare const alert: Alert;
 * const config = parseChannelConfig({
 *   type: "smtp", host: "relay.lan", port: 25, from: "decnet@lan", to: ["soc@lan"],
 * });
 * await using channel = new SmtpChannel(config as SmtpChannelConfig);
 * await channel.send(alert);
 * ```
 */
export class SmtpChannel implements AlertChannel {
  readonly type = "smtp";
  readonly #config: SmtpChannelConfig;
  readonly #now: () => Date;

  /** @param options.now the clock for the `Date:` header @default () => new Date() */
  constructor(config: SmtpChannelConfig, options: { now?: () => Date } = {}) {
    this.#config = Object.freeze({ ...config, to: [...config.to] });
    this.#now = options.now ?? (() => new Date());
  }

  async send(alert: Alert, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const c = this.#config;
    const message = mailMessage(maskAlertSecrets(alert, c.include_secrets), {
      from: c.from,
      to: c.to,
      now: this.#now(),
    });
    const conn = await connectStream({
      host: c.host,
      port: c.port,
      timeoutMs: c.timeout_ms,
      signal,
    });
    const session = new SmtpSession(conn as Deno.TcpConn, {
      host: c.host,
      timeoutMs: c.timeout_ms,
      signal,
    });
    try {
      await this.#deliver(session, message);
    } finally {
      session.close();
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #deliver(session: SmtpSession, message: string): Promise<void> {
    const c = this.#config;
    expect(await session.reply("the greeting"), 220, "the greeting", c.host);
    let extensions = await this.#ehlo(session);
    if (c.starttls !== "off" && extensions.has("STARTTLS")) {
      expect(await session.command("STARTTLS"), 220, "STARTTLS", c.host);
      await session.startTls({ caFile: c.ca_file, serverName: c.server_name });
      extensions = await this.#ehlo(session);
    } else if (c.starttls === "required") {
      throw new ChannelError(`SMTP ${c.host} does not offer STARTTLS (the channel requires it)`, {
        retryable: true,
      });
    }
    if (c.username !== undefined && c.password !== undefined) {
      await this.#authenticate(session, extensions, c.username, c.password);
    }
    // The message is 7-bit (quoted-printable body, encoded-word subject): no BODY=8BITMIME needed.
    expect(await session.command(`MAIL FROM:<${c.from}>`), 250, "MAIL FROM", c.host);
    const refusals: SmtpReply[] = [];
    for (const to of c.to) {
      const reply = await session.command(`RCPT TO:<${to}>`);
      if (reply.code !== 250 && reply.code !== 251) refusals.push(reply);
    }
    if (refusals.length === c.to.length) {
      throw failure(refusals.find((r) => r.code < 500) ?? refusals[0], "RCPT TO", c.host);
    }
    expect(await session.command("DATA"), 354, "DATA", c.host);
    // Dot-stuffing (RFC 5321 4.5.2): a line starting with "." gets a second one.
    const stuffed = message.replace(/^\./gm, "..");
    await session.write(`${stuffed}${stuffed.endsWith("\r\n") ? "" : "\r\n"}.\r\n`);
    expect(await session.reply("the message"), 250, "the message", c.host);
    await session.command("QUIT").catch(() => {
      // delivered already; a relay that drops the line at QUIT changes nothing
    });
  }

  async #ehlo(session: SmtpSession): Promise<Map<string, string>> {
    const reply = await session.command(`EHLO ${this.#config.helo}`);
    expect(reply, 250, "EHLO", this.#config.host);
    return new Map(
      reply.lines.slice(1).map((line) => {
        const [keyword, ...rest] = line.split(" ");
        return [keyword.toUpperCase(), rest.join(" ").toUpperCase()];
      }),
    );
  }

  async #authenticate(
    session: SmtpSession,
    extensions: Map<string, string>,
    username: string,
    password: string,
  ): Promise<void> {
    const host = this.#config.host;
    if (!session.tls) {
      throw new ChannelError(
        `SMTP ${host}: refusing to send the password without TLS (set starttls and a relay that offers it)`,
        { retryable: true },
      );
    }
    const offered = (extensions.get("AUTH") ?? "").split(" ");
    const mechanism = this.#config.auth?.toUpperCase() ??
      ["PLAIN", "LOGIN"].find((m) => offered.includes(m));
    if (mechanism === undefined || !offered.includes(mechanism)) {
      throw new ChannelError(
        `SMTP ${host} offers AUTH ${offered.join(" ") || "nothing"}, not ${
          mechanism ?? "PLAIN or LOGIN"
        }`,
        { retryable: true },
      );
    }
    let reply: SmtpReply;
    if (mechanism === "PLAIN") {
      reply = await session.command(
        `AUTH PLAIN ${base64(`\0${username}\0${password}`)}`,
        "AUTH PLAIN",
      );
    } else {
      expect(await session.command("AUTH LOGIN"), 334, "AUTH LOGIN", host);
      expect(await session.command(base64(username), "AUTH LOGIN user"), 334, "AUTH LOGIN", host);
      reply = await session.command(base64(password), "AUTH LOGIN password");
    }
    // 535 (bad credentials) is fixed by the operator, not by dropping the alert: retryable.
    if (reply.code !== 235) {
      throw new ChannelError(
        `SMTP ${host} refused AUTH ${mechanism}: ${reply.code} ${replyText(reply)}`,
        {
          retryable: true,
        },
      );
    }
  }
}

function expect(reply: SmtpReply, code: number, after: string, host: string): void {
  if (reply.code !== code) throw failure(reply, after, host);
}

/** Steps whose 5xx refuses this message (its sender, recipients or content), not the session. */
const MESSAGE_STEPS = new Set(["MAIL FROM", "RCPT TO", "DATA", "the message"]);

/**
 * A reply that ends delivery. A 5xx to a message step is final; anything
 * else (4xx, or a 5xx to the greeting, EHLO, STARTTLS or AUTH: a relay
 * refusing this client, which its operator fixes) may pass.
 */
function failure(reply: SmtpReply, after: string, host: string): ChannelError {
  return new ChannelError(`SMTP ${host} answered ${after} with ${reply.code} ${replyText(reply)}`, {
    retryable: reply.code < 500 || !MESSAGE_STEPS.has(after),
  });
}

function replyText(reply: SmtpReply): string {
  return reply.lines.join(" ").slice(0, 200);
}

function base64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}
