/**
 * Alerts: what the operator is told when bait is touched, and the channels
 * (syslog, SMTP, webhooks, a JSON-lines file) that deliver it.
 *
 * @module
 */
export { ALERT_KINDS, ALERT_SEVERITIES } from "./alert.ts";
export type { Alert, AlertCredential, AlertKind, AlertSeverity, AlertToken } from "./alert.ts";
export {
  CHANNEL_CONFIG_SCHEMA,
  CHANNEL_TYPES,
  ChannelConfigError,
  channelDestinations,
  channelFiles,
  DEFAULT_CHANNEL_TIMEOUT_MS,
  parseChannelConfig,
  SYSLOG_FACILITIES,
} from "./alert_channel.ts";
export type {
  AlertChannel,
  ChannelCommonConfig,
  ChannelConfig,
  ChannelConfigIssue,
  ChannelType,
  FileChannelConfig,
  NetworkChannelConfig,
  SmtpChannelConfig,
  SyslogChannelConfig,
  SyslogFacility,
  WebhookChannelConfig,
} from "./alert_channel.ts";
export { ChannelError } from "./channel_error.ts";
export {
  alertText,
  createChannel,
  maskAlertSecrets,
  MASKED_SECRET,
  sendTestAlert,
  webhookSignature,
} from "./channels/mod.ts";
export type {
  CreateChannelOptions,
  SendTestAlertOptions,
  TestAlertResult,
} from "./channels/mod.ts";
