import type { Alert, AlertSeverity } from "../alert.ts";
import { VERSION } from "../../version.ts";

/** CEF's 0-10 severity for each alert severity. */
const CEF_SEVERITY: Readonly<Record<AlertSeverity, number>> = Object.freeze({
  info: 1,
  low: 3,
  medium: 5,
  high: 8,
  critical: 10,
});

// deno-lint-ignore no-control-regex -- control characters are what is escaped
const CEF_HEADER_ESCAPE_REGEXP = /[\\|\x00-\x1f\x7f-\x9f]/g;
// deno-lint-ignore no-control-regex -- control characters are what is escaped
const CEF_EXTENSION_ESCAPE_REGEXP = /[\\=\x00-\x1f\x7f-\x9f]/g;

/**
 * The alert as an ArcSight CEF record (`CEF:0|decnet|decnet|<version>|<kind>|<title>|<0-10>|k=v ...`)
 * with the standard keys a SIEM maps: `rt` (event time, epoch ms), `src` or
 * `c6a2` (IPv6), `spt`, `suser`, `requestClientApplication`, `requestMethod`,
 * `request`, `dhost`, `app`, `filePath`, `externalId`, `cat`, `msg`,
 * `reason`, and labelled custom fields (`cs1` token, `cs2` DNS name, `cs3`
 * attacker link, `cs4` dashboard link, `cs5` credential, `cs6` rule, `cn1`
 * suppressed count, `cn2` attacker id, `cn3` campaign id,
 * `deviceCustomDate1` planted at). Header fields escape `\` and `|`; extension
 * values escape `\`, `=` and line breaks. Mask secrets first.
 *
 * @example
 * ```ts
 * import { cefRecord } from "./cef_record.ts";
 * import type { Alert } from "../alert.ts";
 * declare const alert: Alert;
 * cefRecord(alert); // "CEF:0|decnet|decnet|0.1.0|canary_triggered|Canary token triggered|8|rt=..."
 * ```
 */
export function cefRecord(alert: Alert): string {
  const header = [
    "CEF:0",
    "decnet",
    "decnet",
    VERSION,
    alert.kind,
    alert.title,
    String(CEF_SEVERITY[alert.severity]),
  ].map((v, i) => i === 0 ? v : cefHeaderValue(v)).join("|");
  const ipv6 = alert.src_ip?.includes(":") ?? false;
  const credential = alert.credential &&
    `${alert.credential.secret_kind}:${alert.credential.secret}`;
  const extensions: [string, string | number | undefined][] = [
    ["rt", Date.parse(alert.occurred_at)],
    ["externalId", alert.id],
    ["cat", alert.kind],
    ["msg", alert.summary],
    ["src", ipv6 ? undefined : alert.src_ip],
    ["c6a2", ipv6 ? alert.src_ip : undefined],
    ["c6a2Label", ipv6 ? "Source IPv6 Address" : undefined],
    ["spt", alert.src_port],
    ["suser", alert.username],
    ["requestClientApplication", alert.user_agent],
    ["requestMethod", alert.request_method],
    ["request", alert.request_path],
    ["dhost", alert.decky ?? alert.token?.decky],
    ["app", alert.service],
    ["filePath", alert.token?.placement_path],
    ["reason", alert.reason],
    ...labelled("cs1", "tokenUuid", alert.token?.uuid),
    ...labelled("cs2", "dnsName", alert.dns_name),
    ...labelled("cs3", "attackerUrl", alert.attacker_url),
    ...labelled("cs4", "dashboardUrl", alert.dashboard_url),
    ...labelled("cs5", "credential", credential),
    ...labelled("cs6", "rule", alert.rule),
    ...labelled("cn1", "suppressedCount", alert.suppressed_count),
    ...labelled("cn2", "attackerId", alert.attacker_id),
    ...labelled("flexString1", "campaignId", alert.campaign_id),
    ...labelled("flexString2", "topic", alert.topic),
    ...labelled(
      "deviceCustomDate1",
      "tokenPlantedAt",
      alert.token?.planted_at && Date.parse(alert.token.planted_at),
    ),
  ];
  const extension = extensions
    .flatMap(([key, value]) =>
      value === undefined || value === "" ? [] : [`${key}=${cefExtensionValue(String(value))}`]
    )
    .join(" ");
  return `${header}|${extension}`;
}

/** `key`, then `keyLabel`, when there is a value. */
function labelled(
  key: string,
  label: string,
  value: string | number | undefined,
): [string, string | number | undefined][] {
  return value === undefined ? [] : [[key, value], [`${key}Label`, label]];
}

/** A header field: `\` and `|` escaped; control characters (line breaks are not allowed there) as `\\xNN`. */
function cefHeaderValue(value: string): string {
  return value.replace(
    CEF_HEADER_ESCAPE_REGEXP,
    (c) => c === "\\" || c === "|" ? `\\${c}` : hex(c),
  );
}

/** An extension value: `\` and `=` escaped, line breaks as `\n` / `\r`, other controls as `\\xNN`. */
function cefExtensionValue(value: string): string {
  return value.replace(CEF_EXTENSION_ESCAPE_REGEXP, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    return c === "\\" || c === "=" ? `\\${c}` : hex(c);
  });
}

/** A control character as an escaped backslash and its hex code (`\\x1b`), readable after unescaping. */
function hex(c: string): string {
  return `\\\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
}
