import type { Alert } from "../alert.ts";

/**
 * The alert as flat `name=value` pairs in a fixed order (absent fields left
 * out): syslog structured-data parameters, and what a SIEM indexes. Names are
 * the alert's own, with the token's and credential's fields prefixed
 * (`token_uuid`, `credential_secret`). Mask secrets first
 * (`maskAlertSecrets`): this copies what it is given.
 *
 * @example
 * ```ts
 * import { alertFields } from "./alert_fields.ts";
 * import type { Alert } from "../alert.ts";
 * declare const alert: Alert;
 * for (const [name, value] of alertFields(alert)) console.info(name, value);
 * ```
 */
export function alertFields(alert: Alert): [string, string][] {
  const fields: [string, string | number | undefined][] = [
    ["id", alert.id],
    ["kind", alert.kind],
    ["severity", alert.severity],
    ["occurred_at", alert.occurred_at],
    ["rule", alert.rule],
    ["token_uuid", alert.token?.uuid],
    ["token_kind", alert.token?.kind],
    ["token_decky", alert.token?.decky],
    ["token_placement_path", alert.token?.placement_path],
    ["token_planted_at", alert.token?.planted_at],
    ["decky", alert.decky],
    ["service", alert.service],
    ["src_ip", alert.src_ip],
    ["src_port", alert.src_port],
    ["attacker_id", alert.attacker_id],
    ["attacker_url", alert.attacker_url],
    ["user_agent", alert.user_agent],
    ["request_method", alert.request_method],
    ["request_path", alert.request_path],
    ["dns_name", alert.dns_name],
    ["username", alert.username],
    ["credential_kind", alert.credential?.secret_kind],
    ["credential_domain", alert.credential?.domain],
    ["credential_secret", alert.credential?.secret],
    ["credential_hashcat_mode", alert.credential?.hashcat_mode],
    ["credential_hashcat_line", alert.credential?.hashcat_line],
    ["campaign_id", alert.campaign_id],
    ["worker", alert.worker],
    ["reason", alert.reason],
    ["dashboard_url", alert.dashboard_url],
    ["suppressed_count", alert.suppressed_count],
    ["topic", alert.topic],
    ["record", alert.record === undefined ? undefined : JSON.stringify(alert.record)],
  ];
  return fields.flatMap(([name, value]) => value === undefined ? [] : [[name, String(value)]]);
}
