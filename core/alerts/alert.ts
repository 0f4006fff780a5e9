/**
 * What an alert reports: the rule event that produced it, a channel's test,
 * or a record forwarded to the channels that take the full event stream
 * (`event`) or the audit log (`audit`).
 */
export const ALERT_KINDS = [
  "canary_triggered",
  "first_contact",
  "credential_captured",
  "campaign_formed",
  "campaign_merged",
  "decky_failed",
  "worker_unhealthy",
  "database_down",
  "test",
  "event",
  "audit",
] as const;

/** One of {@linkcode ALERT_KINDS}. */
export type AlertKind = typeof ALERT_KINDS[number];

/** How urgent an alert is, lowest first (channels map it to syslog and CEF levels). */
export const ALERT_SEVERITIES = ["info", "low", "medium", "high", "critical"] as const;

/** One of {@linkcode ALERT_SEVERITIES}. */
export type AlertSeverity = typeof ALERT_SEVERITIES[number];

/** The canary token an alert is about, and where it was planted. */
export interface AlertToken {
  uuid: string;
  /** `http`, `dns`, `aws_passive`. */
  kind: string;
  /** Decky the token was planted on. */
  decky?: string;
  /** Path of the bait file on that decky. */
  placement_path?: string;
  /** ISO 8601 UTC. */
  planted_at?: string;
}

/**
 * Captured secret material. Channels mask `secret` and `hashcat_line` unless
 * the channel sets `include_secrets` (see `maskSecret`).
 */
export interface AlertCredential {
  /** `password`, `ntlmssp_v2`, `ssh_pubkey`... (the sensor's `secret_kind`). */
  secret_kind: string;
  secret: string;
  domain?: string;
  hashcat_mode?: number;
  hashcat_line?: string;
}

/**
 * One alert as the worker hands it to a channel (and as it is stored in the
 * outbox): a wire shape, so snake_case. Optional fields are absent, not null,
 * when the event has no such thing.
 *
 * @example
 * ```ts
 * import type { Alert } from "./alert.ts";
 * const alert: Alert = {
 *   id: "0b9f2c1e-7d1a-4a43-9c7e-2f1d7a5e9b10",
 *   kind: "canary_triggered",
 *   severity: "high",
 *   occurred_at: "2026-12-01T14:00:00.000Z",
 *   title: "Canary token triggered on web01",
 *   summary: "The HTTP token in /home/ann/passwords.docx was opened from 192.0.2.7",
 *   src_ip: "192.0.2.7",
 *   suppressed_count: 0,
 * };
 * ```
 */
export interface Alert {
  /** Idempotency id: the same for every delivery attempt of this alert (webhook receivers drop repeats by it). */
  id: string;
  kind: AlertKind;
  severity: AlertSeverity;
  /** When the event happened (ISO 8601 UTC), not when the alert was sent. */
  occurred_at: string;
  /** One line, e.g. a mail subject. */
  title: string;
  /** One or two sentences of what happened. */
  summary: string;
  token?: AlertToken;
  /** Decky the event happened on (a sensor event, a failed decky). */
  decky?: string;
  /** Decoy service (`ssh`, `smb`...) of a sensor event. */
  service?: string;
  src_ip?: string;
  src_port?: number;
  attacker_id?: number;
  /** The attacker record in the dashboard (absolute). */
  attacker_url?: string;
  user_agent?: string;
  /** HTTP method of a canary HTTP hit or sensor request. */
  request_method?: string;
  /** HTTP path (with query) of a canary HTTP hit or sensor request. */
  request_path?: string;
  /** Query name of a canary DNS hit. */
  dns_name?: string;
  username?: string;
  credential?: AlertCredential;
  campaign_id?: string;
  /** Worker name of a `worker_unhealthy` alert. */
  worker?: string;
  /** Why something failed (decky failure, worker or database error text). */
  reason?: string;
  /** The page to open in the dashboard (absolute), e.g. the token's page. */
  dashboard_url?: string;
  /** Alerts of the same rule and key suppressed (throttled) since the previous one was sent. */
  suppressed_count: number;
  /** Name of the rule that fired (absent for test and forwarded alerts). */
  rule?: string;
  /** The bus topic of a forwarded record (`event` and `audit` alerts). */
  topic?: string;
  /** The forwarded record as the bus carries it; captured secrets in it are masked like `credential`'s. */
  record?: { [key: string]: unknown };
}
