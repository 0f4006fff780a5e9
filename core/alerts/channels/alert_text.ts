import type { Alert } from "../alert.ts";
import { printable } from "./_printable.ts";

/**
 * The alert as plain text for a person (mail body, chat message): what
 * happened, when, the token and where it was planted, the source and its
 * attacker record, user agent / DNS name / user name, and the dashboard link.
 * Mask secrets first (`maskAlertSecrets`). Attacker-chosen text has its
 * control characters escaped.
 *
 * @example
 * ```ts
 * import { alertText } from "./alert_text.ts";
 * import type { Alert } from "../alert.ts";
 * declare const alert: Alert;
 * const body = alertText(alert); // "Canary token triggered...\n\nWhat: ..."
 * ```
 */
export function alertText(alert: Alert): string {
  const lines: [string, string | undefined][] = [
    ["What", `${alert.kind.replaceAll("_", " ")} (severity ${alert.severity})`],
    ["When", alert.occurred_at],
    ["Token", tokenLine(alert)],
    ["Decky", serviceLine(alert)],
    ["Source", sourceLine(alert)],
    ["Attacker", alert.attacker_url],
    ["User agent", alert.user_agent],
    ["Request", requestLine(alert)],
    ["DNS name", alert.dns_name],
    ["User name", alert.username],
    ["Credential", credentialLine(alert)],
    ["Hashcat", hashcatLine(alert)],
    ["Campaign", alert.campaign_id === undefined ? undefined : `#${alert.campaign_id}`],
    ["Worker", alert.worker],
    ["Reason", alert.reason],
    ["Suppressed", suppressedLine(alert.suppressed_count)],
    ["Rule", alert.rule],
    ["Dashboard", alert.dashboard_url],
    ["Alert id", alert.id],
  ];
  const body = lines.flatMap(([label, value]) =>
    value === undefined ? [] : [`${`${label}:`.padEnd(12)}${printable(value)}`]
  );
  return `${printable(alert.title)}\n\n${printable(alert.summary)}\n\n${body.join("\n")}\n`;
}

function tokenLine(alert: Alert): string | undefined {
  const token = alert.token;
  if (!token) return undefined;
  const where = [
    token.decky && `on ${token.decky}`,
    token.placement_path && `at ${token.placement_path}`,
    token.planted_at && `planted ${token.planted_at}`,
  ].filter(Boolean).join(" ");
  return `${token.uuid} (${token.kind})${where ? ` ${where}` : ""}`;
}

function serviceLine(alert: Alert): string | undefined {
  if (alert.decky === undefined) return undefined;
  return alert.service === undefined ? alert.decky : `${alert.decky} (${alert.service})`;
}

function sourceLine(alert: Alert): string | undefined {
  if (alert.src_ip === undefined) return undefined;
  const ip = alert.src_ip.includes(":") ? `[${alert.src_ip}]` : alert.src_ip;
  return alert.src_port === undefined ? alert.src_ip : `${ip}:${alert.src_port}`;
}

function requestLine(alert: Alert): string | undefined {
  if (alert.request_path === undefined) return alert.request_method;
  return `${alert.request_method ?? ""} ${alert.request_path}`.trim();
}

function credentialLine(alert: Alert): string | undefined {
  const c = alert.credential;
  if (!c) return undefined;
  const domain = c.domain ? ` (domain ${c.domain})` : "";
  return `${c.secret_kind} ${c.secret}${domain}`;
}

function hashcatLine(alert: Alert): string | undefined {
  const c = alert.credential;
  if (c?.hashcat_line === undefined) return undefined;
  return c.hashcat_mode === undefined ? c.hashcat_line : `-m ${c.hashcat_mode} ${c.hashcat_line}`;
}

function suppressedLine(count: number): string | undefined {
  if (count === 0) return undefined;
  return `${count} similar alert${count === 1 ? "" : "s"} suppressed since the previous one`;
}
