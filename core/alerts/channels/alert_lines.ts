import type { Alert } from "../alert.ts";

/** One labelled line of an alert's text. */
export interface AlertLine {
  label: string;
  value: string;
  /** The value came from the attacker (user agent, user name, request...): chat formats quote it. */
  untrusted: boolean;
}

/**
 * The labelled lines every human-readable format shows, in order (absent
 * fields left out): what, when, token and where planted, decky, source,
 * attacker link, user agent, request, DNS name, user name, credential,
 * campaign, worker, reason, suppressed repeats, rule, dashboard link, id.
 * Mask secrets first (`maskAlertSecrets`).
 *
 * @example
 * ```ts
 * import { alertLines } from "./alert_lines.ts";
 * import type { Alert } from "../alert.ts";
 * declare const alert: Alert;
 * alertLines(alert).map((l) => `${l.label}: ${l.value}`);
 * ```
 */
export function alertLines(alert: Alert): AlertLine[] {
  const lines: [string, string | undefined, boolean?][] = [
    ["What", `${alert.kind.replaceAll("_", " ")} (severity ${alert.severity})`],
    ["When", alert.occurred_at],
    ["Token", tokenLine(alert)],
    ["Decky", serviceLine(alert)],
    ["Source", sourceLine(alert)],
    ["Attacker", alert.attacker_url],
    ["User agent", alert.user_agent, true],
    ["Request", requestLine(alert), true],
    ["DNS name", alert.dns_name, true],
    ["User name", alert.username, true],
    ["Credential", credentialLine(alert), true],
    ["Hashcat", hashcatLine(alert), true],
    ["Campaign", alert.campaign_id],
    ["Worker", alert.worker],
    ["Reason", alert.reason, true],
    ["Suppressed", suppressedLine(alert.suppressed_count)],
    ["Rule", alert.rule],
    ["Topic", alert.topic],
    ["Record", alert.record === undefined ? undefined : JSON.stringify(alert.record), true],
    ["Dashboard", alert.dashboard_url],
    ["Alert id", alert.id],
  ];
  return lines.flatMap(([label, value, untrusted]) =>
    value === undefined ? [] : [{ label, value, untrusted: untrusted ?? false }]
  );
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
