import type { AlertSeverity } from "../alert.ts";
import type { Alert } from "../alert.ts";
import { SYSLOG_FACILITIES, type SyslogChannelConfig } from "../alert_channel.ts";
import { alertFields } from "./alert_fields.ts";
import { cefRecord } from "./cef_record.ts";
import { maskAlertSecrets } from "./mask_alert_secrets.ts";
import { printable } from "./_printable.ts";

/**
 * SD-ID of the alert's structured data. 32473 is the private enterprise
 * number RFC 5612 reserves for documentation: decnet has none of its own,
 * and a SIEM parser keys on the whole SD-ID.
 */
export const ALERT_SD_ID = "decnet@32473";

/** RFC 5424 severity (0 emergency ... 7 debug) of each alert severity. */
const SYSLOG_SEVERITY: Readonly<Record<AlertSeverity, number>> = Object.freeze({
  info: 6,
  low: 5,
  medium: 4,
  high: 3,
  critical: 2,
});

/** Options for {@linkcode syslogMessage}. */
export interface SyslogMessageOptions {
  /** The send time (the header's TIMESTAMP; the event time is in the SD and body). */
  now: Date;
}

/**
 * One alert as an RFC 5424 message (without transport framing):
 * `<PRI>1 TIMESTAMP HOSTNAME APP-NAME - MSGID [decnet@32473 id="..." ...] BODY`,
 * MSGID the alert kind, the structured data holding every alert field
 * (`"`, `\` and `]` escaped), the body the masked alert as JSON or a CEF
 * record, per the channel's `format`.
 *
 * @example
 * ```ts
 * import { syslogMessage } from "./syslog_message.ts";
 * import { parseChannelConfig, type SyslogChannelConfig } from "../alert_channel.ts";
 * import type { Alert } from "../alert.ts";
 * declare const alert: Alert;
 * const config = parseChannelConfig({ type: "syslog", transport: "udp", host: "127.0.0.1", port: 514 });
 * syslogMessage(alert, config as SyslogChannelConfig, { now: new Date() }); // "<131>1 2026-..."
 * ```
 */
export function syslogMessage(
  alert: Alert,
  config: Pick<
    SyslogChannelConfig,
    "facility" | "app_name" | "hostname" | "format" | "include_secrets"
  >,
  options: SyslogMessageOptions,
): string {
  const masked = maskAlertSecrets(alert, config.include_secrets);
  const pri = SYSLOG_FACILITIES[config.facility] * 8 + SYSLOG_SEVERITY[alert.severity];
  const params = alertFields(masked)
    .map(([name, value]) => `${name}="${sdParamValue(value)}"`)
    .join(" ");
  const body = config.format === "cef" ? cefRecord(masked) : JSON.stringify(masked);
  return `<${pri}>1 ${options.now.toISOString()} ${
    config.hostname ?? "-"
  } ${config.app_name} - ${alert.kind} [${ALERT_SD_ID} ${params}] ${body}`;
}

/** RFC 5424 PARAM-VALUE: `"`, `\` and `]` escaped; control characters as `\xNN` (a SIEM stores lines). */
function sdParamValue(value: string): string {
  return printable(value).replace(/["\\\]]/g, (c) => `\\${c}`);
}
