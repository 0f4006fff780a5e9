/**
 * Alert channels: one file per destination type (syslog, SMTP, webhook,
 * JSON-lines file), a factory picking by the config's `type`, the content
 * every channel shares (text, fields, secret masking) and "send test alert".
 *
 * @module
 */
export { createChannel } from "./factory.ts";
export type { CreateChannelOptions } from "./factory.ts";
export { FileChannel } from "./file_channel.ts";
export { SmtpChannel } from "./smtp_channel.ts";
export { SyslogChannel } from "./syslog_channel.ts";
export { WebhookChannel } from "./webhook_channel.ts";
export { alertFields } from "./alert_fields.ts";
export { alertLines } from "./alert_lines.ts";
export type { AlertLine } from "./alert_lines.ts";
export { alertText } from "./alert_text.ts";
export { cefRecord } from "./cef_record.ts";
export { mailMessage } from "./mail_message.ts";
export type { MailMessageOptions } from "./mail_message.ts";
export { maskAlertSecrets, MASKED_SECRET } from "./mask_alert_secrets.ts";
export { sendTestAlert } from "./send_test_alert.ts";
export type { SendTestAlertOptions, TestAlertResult } from "./send_test_alert.ts";
export { ALERT_SD_ID, syslogMessage } from "./syslog_message.ts";
export type { SyslogMessageOptions } from "./syslog_message.ts";
export { webhookPayload } from "./webhook_payload.ts";
export { webhookSignature } from "./webhook_signature.ts";
