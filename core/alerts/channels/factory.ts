import type { AlertChannel, ChannelConfig } from "../alert_channel.ts";
import { FileChannel } from "./file_channel.ts";
import { SmtpChannel } from "./smtp_channel.ts";
import { SyslogChannel } from "./syslog_channel.ts";
import { WebhookChannel } from "./webhook_channel.ts";

/** Options for {@linkcode createChannel}. */
export interface CreateChannelOptions {
  /** Clock for send times (syslog TIMESTAMP, mail Date, webhook timestamp). @default () => new Date() */
  now?: () => Date;
}

/**
 * The channel for a parsed config, picked by its `type`.
 *
 * @example
 * ```ts
 * import { createChannel } from "./factory.ts";
 * import { parseChannelConfig } from "../alert_channel.ts";
 * import type { Alert } from "../alert.ts";
 * declare const alert: Alert;
 * await using channel = createChannel(parseChannelConfig({ type: "file", path: "/tmp/alerts.jsonl" }));
 * await channel.send(alert);
 * ```
 */
export function createChannel(
  config: ChannelConfig,
  options: CreateChannelOptions = {},
): AlertChannel {
  switch (config.type) {
    case "syslog":
      return new SyslogChannel(config, options);
    case "smtp":
      return new SmtpChannel(config, options);
    case "webhook":
      return new WebhookChannel(config, options);
    case "file":
      return new FileChannel(config);
  }
}
