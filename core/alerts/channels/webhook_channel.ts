import type { Alert } from "../alert.ts";
import type { AlertChannel, WebhookChannelConfig } from "../alert_channel.ts";
import { ChannelError } from "../channel_error.ts";
import { VERSION } from "../../version.ts";
import { maskAlertSecrets } from "./mask_alert_secrets.ts";
import { webhookPayload } from "./webhook_payload.ts";
import { webhookSignature } from "./webhook_signature.ts";

/**
 * POSTs each alert as JSON to the channel's URL ({@linkcode webhookPayload}
 * gives the shape). Every request carries `Idempotency-Key` and
 * `X-Decnet-Alert-Id` (the alert id, the same on every retry, so a receiver
 * drops repeats) and, when the channel has a `secret`, `X-Decnet-Timestamp`
 * (Unix seconds) and `X-Decnet-Signature: sha256=<hex>` (see
 * `webhookSignature`). Redirects are never followed: a 3xx is a failure
 * naming the status. 2xx is delivered; 5xx, 408, 429, timeouts and network
 * errors are retryable; any other 4xx is not. With `ca_file`, the
 * receiver's certificate must chain to the CA(s) in that PEM file.
 *
 * @example
 * ```ts
 * import { WebhookChannel } from "./webhook_channel.ts";
 * import { parseChannelConfig, type WebhookChannelConfig } from "../alert_channel.ts";
 * import type { Alert } from "../alert.ts";
 * declare const alert: Alert;
 * const config = parseChannelConfig({ type: "webhook", url: "http://127.0.0.1:8080/alerts" });
 * await using channel = new WebhookChannel(config as WebhookChannelConfig);
 * await channel.send(alert);
 * ```
 */
export class WebhookChannel implements AlertChannel {
  readonly type = "webhook";
  readonly #config: WebhookChannelConfig;
  readonly #now: () => Date;
  #client: Deno.HttpClient | undefined;

  /** @param options.now the clock for `X-Decnet-Timestamp` @default () => new Date() */
  constructor(config: WebhookChannelConfig, options: { now?: () => Date } = {}) {
    this.#config = Object.freeze({ ...config });
    this.#now = options.now ?? (() => new Date());
  }

  async send(alert: Alert, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const config = this.#config;
    const masked = maskAlertSecrets(alert, config.include_secrets);
    const body = JSON.stringify(webhookPayload(masked, config.format));
    const headers = new Headers({
      "content-type": "application/json",
      "user-agent": `decnet-alerts/${VERSION}`,
      "idempotency-key": alert.id,
      "x-decnet-alert-id": alert.id,
    });
    if (config.secret !== undefined) {
      const timestamp = Math.floor(this.#now().getTime() / 1000);
      headers.set("x-decnet-timestamp", String(timestamp));
      headers.set("x-decnet-signature", await webhookSignature(config.secret, timestamp, body));
    }
    const client = await this.#httpClient();
    const timeout = AbortSignal.timeout(config.timeout_ms);
    const where = destination(config.url);
    let response: Response;
    try {
      response = await fetch(config.url, {
        method: "POST",
        headers,
        body,
        redirect: "manual",
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        ...(client ? { client } : {}),
      });
      await response.body?.cancel();
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) {
        throw new ChannelError(`Webhook ${where} timed out after ${config.timeout_ms} ms`, {
          retryable: true,
        });
      }
      const text = scrubUrl((e as Error).message, config.url);
      throw new ChannelError(`Webhook ${where} unreachable: ${text}`, {
        retryable: true,
        cause: e,
      });
    }
    const status = response.status;
    if (status >= 200 && status < 300) return;
    if (status >= 300 && status < 400) {
      throw new ChannelError(
        `Webhook ${where} answered ${status} (a redirect, not followed: set the final URL)`,
        { retryable: false },
      );
    }
    const retryable = status >= 500 || status === 408 || status === 429;
    throw new ChannelError(`Webhook ${where} answered ${status}`, { retryable });
  }

  close(): Promise<void> {
    this.#client?.close();
    this.#client = undefined;
    return Promise.resolve();
  }

  /** The HTTP client trusting `ca_file`, made at the first send (none without one). */
  async #httpClient(): Promise<Deno.HttpClient | undefined> {
    const file = this.#config.ca_file;
    if (file === undefined || this.#client) return this.#client;
    let pem: string;
    try {
      pem = await Deno.readTextFile(file);
    } catch (e) {
      throw new ChannelError(`Cannot read ca_file ${file}: ${(e as Error).message}`, {
        retryable: false,
        cause: e,
      });
    }
    if (!pem.includes("-----BEGIN CERTIFICATE-----")) {
      throw new ChannelError(`Cannot use ca_file ${file}: expected PEM certificates`, {
        retryable: false,
      });
    }
    this.#client = Deno.createHttpClient({ caCerts: [pem] });
    return this.#client;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** `text` without the URL's path and query (an error text may quote the whole URL). */
function scrubUrl(text: string, url: string): string {
  return [url, new URL(url).href].reduce((t, u) => t.replaceAll(u, destination(url)), text);
}

/** `host:port` of the URL: its path may hold a token (Slack, Teams) and never goes in a reason. */
function destination(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}`;
}
