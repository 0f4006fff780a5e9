import type { Alert } from "../alert.ts";
import type { ChannelConfig } from "../alert_channel.ts";
import { ChannelError } from "../channel_error.ts";
import { createChannel } from "./factory.ts";

/** Options for {@linkcode testAlert} and {@linkcode sendTestAlert}. */
export interface TestAlertOptions {
  /** When the test runs. */
  now: Date;
  /** The alert's id (a fresh UUID per test). */
  id: string;
  /** Dashboard link shown in the alert (from the base URL setting). */
  dashboardUrl?: string;
  /** Who asked for the test (shown in the summary). */
  requestedBy?: string;
}

/** What {@linkcode sendTestAlert} reports, JSON-safe for the API. */
export interface TestAlertResult {
  ok: boolean;
  /** Why it failed (no secret in it). */
  reason?: string;
  /** Whether trying again later may work. */
  retryable?: boolean;
  elapsed_ms: number;
}

/**
 * A sample alert of kind `test` with every field filled (reserved
 * addresses, an example credential that channels mask like a real one), so
 * an operator sees what a real alert looks like on this channel.
 *
 * @example
 * ```ts
 * import { testAlert } from "./send_test_alert.ts";
 * testAlert({ now: new Date(), id: crypto.randomUUID() }).kind; // "test"
 * ```
 */
export function testAlert(options: TestAlertOptions): Alert {
  const at = options.now.toISOString();
  const who = options.requestedBy ? ` by ${options.requestedBy}` : "";
  return {
    id: options.id,
    kind: "test",
    severity: "info",
    occurred_at: at,
    title: "Test alert",
    summary: `A test alert sent${who} to check this channel; the fields below are examples.`,
    token: {
      uuid: "00000000-0000-4000-8000-000000000000",
      kind: "http",
      decky: "example-decky",
      placement_path: "/home/example/passwords.docx",
      planted_at: at,
    },
    decky: "example-decky",
    service: "ssh",
    src_ip: "192.0.2.1",
    src_port: 40000,
    user_agent: "example-client/1.0",
    dns_name: "example.invalid",
    username: "example-user",
    credential: { secret_kind: "password", secret: "example-password" },
    dashboard_url: options.dashboardUrl,
    suppressed_count: 0,
  };
}

/**
 * Sends a {@linkcode testAlert} through a channel built from `config` and
 * reports the outcome instead of throwing (for "send test alert" in the API
 * and CLI). The channel is closed afterwards.
 *
 * @example
 * ```ts
 * import { sendTestAlert } from "./send_test_alert.ts";
 * import { parseChannelConfig } from "../alert_channel.ts";
 * const config = parseChannelConfig({ type: "file", path: "/tmp/alerts.jsonl" });
 * const r = await sendTestAlert(config, { now: new Date(), id: crypto.randomUUID() });
 * r.ok; // true
 * ```
 */
export async function sendTestAlert(
  config: ChannelConfig,
  options: TestAlertOptions & { signal?: AbortSignal; clock?: () => number },
): Promise<TestAlertResult> {
  const clock = options.clock ?? (() => performance.now());
  const started = clock();
  const elapsed = () => Math.round(clock() - started);
  await using channel = createChannel(config, { now: () => options.now });
  try {
    await channel.send(testAlert(options), options.signal);
    return { ok: true, elapsed_ms: elapsed() };
  } catch (e) {
    if (!(e instanceof ChannelError)) throw e;
    return { ok: false, reason: e.reason, retryable: e.retryable, elapsed_ms: elapsed() };
  }
}
