import type { Alert } from "./alert.ts";

/**
 * The alert "send test alert" queues for one channel: kind `test`,
 * severity `info`, saying who asked, so a receiver can tell it from a real one.
 *
 * @example
 * ```ts
 * import { testAlert } from "./test_alert.ts";
 * testAlert({ channel: "siem", by: "admin", now: new Date(), id: crypto.randomUUID() }).kind; // "test"
 * ```
 */
export function testAlert(
  options: { channel: string; by: string; now: Date; id: string; dashboardUrl?: string },
): Alert {
  return {
    id: options.id,
    kind: "test",
    severity: "info",
    occurred_at: options.now.toISOString(),
    title: `Test alert for channel ${options.channel}`,
    summary: `${options.by} sent a test alert to channel ${options.channel}; no bait was touched`,
    suppressed_count: 0,
    ...(options.dashboardUrl ? { dashboard_url: `${options.dashboardUrl}/alerts` } : {}),
  };
}
