import type { Alert } from "../alert.ts";
import type { ChannelConfig } from "../alert_channel.ts";
import { ChannelError } from "../channel_error.ts";
import { createChannel } from "./factory.ts";

/** Options for {@linkcode sendTestAlert}. */
export interface SendTestAlertOptions {
  signal?: AbortSignal;
  /** Milliseconds clock for `elapsed_ms`. @default performance.now */
  clock?: () => number;
  /** Clock for send times. @default () => new Date() */
  now?: () => Date;
}

/** What {@linkcode sendTestAlert} reports, JSON-safe for the API and `--json`. */
export interface TestAlertResult {
  ok: boolean;
  /** Why it failed (no secret in it). */
  reason?: string;
  /** Whether trying again later may work. */
  retryable?: boolean;
  elapsed_ms: number;
}

/**
 * "Send test alert" on one channel, right now: opens a channel for `config`,
 * sends `alert` (a `test` alert), closes the channel, and reports the
 * outcome instead of throwing, so the caller can show the reason at once.
 * The caller needs the channel's permissions (`channelDestinations`,
 * `channelFiles`): the alerts worker holds them.
 *
 * @throws only what is not a delivery failure (a bug), never a ChannelError
 * @example
 * ```ts
 * import { sendTestAlert } from "./send_test_alert.ts";
 * import { parseChannelConfig } from "../alert_channel.ts";
 * import type { Alert } from "../alert.ts";
 * declare const alert: Alert;
 * const config = parseChannelConfig({ type: "file", path: "/tmp/alerts.jsonl" });
 * const r = await sendTestAlert(config, alert);
 * r.ok || console.error(r.reason);
 * ```
 */
export async function sendTestAlert(
  config: ChannelConfig,
  alert: Alert,
  options: SendTestAlertOptions = {},
): Promise<TestAlertResult> {
  const clock = options.clock ?? (() => performance.now());
  const started = clock();
  const elapsed = () => Math.round(clock() - started);
  await using channel = createChannel(config, { now: options.now });
  try {
    await channel.send(alert, options.signal);
    return { ok: true, elapsed_ms: elapsed() };
  } catch (e) {
    if (!(e instanceof ChannelError)) throw e;
    return { ok: false, reason: e.reason, retryable: e.retryable, elapsed_ms: elapsed() };
  }
}
