import type { AlertChannel, ChannelConfig } from "./alert_channel.ts";
import { SyslogChannel } from "./channels/syslog_channel.ts";
import { WebhookChannel } from "./channels/webhook_channel.ts";

/**
 * The channel that delivers to `config`, by its type.
 *
 * @example
 * ```ts
 * import { openAlertChannel } from "./open_alert_channel.ts";
 * import { parseChannelConfig } from "./alert_channel.ts";
 * await using channel = openAlertChannel(parseChannelConfig({ type: "syslog", transport: "udp", host: "127.0.0.1", port: 514 }));
 * ```
 */
export function openAlertChannel(config: ChannelConfig): AlertChannel {
  switch (config.type) {
    case "syslog":
      return new SyslogChannel(config);
    case "webhook":
      return new WebhookChannel(config);
    default:
      throw new TypeError(`Cannot open alert channel: type "${config.type}" is not built yet`);
  }
}
