// Folder-private: what evaluateAlertRules and closeAlertWindows share about throttle and digest windows.
import { createHash } from "node:crypto";
import type { AlertRuleRecord, AlertThrottleRecord } from "../db/mod.ts";
import type { Alert } from "./alert.ts";
import type { AlertEvent } from "./alert_event.ts";

/** The dedupe key every event of a digest rule shares. */
export const DIGEST_KEY = "*digest";

/** Most keys a digest window counts one by one (the rest are only in the total). */
export const DIGEST_KEY_LIMIT = 20;

/** What a throttle window keeps: the last event held back, for the repeats alert. */
export interface ThrottleSample {
  kind: AlertEvent["kind"];
  occurred_at: string;
  content: AlertEvent["content"];
}

/** What a digest window keeps. */
export interface DigestSample extends ThrottleSample {
  count: number;
  last_at: string;
  kinds: Record<string, number>;
  keys: Record<string, number>;
}

/** An alert and the channels it goes to. */
export interface RoutedAlert {
  alert: Alert;
  channel_ids: number[];
}

/** What one evaluation decided: alerts to queue and the windows to store or forget. */
export interface AlertEvaluation {
  alerts: RoutedAlert[];
  throttle: AlertThrottleRecord[];
  clear: { rule_id: number; dedupe_key: string }[];
}

/** The map key of a rule's window. */
export function windowKey(ruleId: number, dedupeKey: string): string {
  return `${ruleId}\n${dedupeKey}`;
}

/**
 * The alert's idempotency id: derived from the rule, the key, the window and
 * what closed it, so evaluating the same events again yields the same ids
 * (and the outbox drops the repeat).
 */
export function alertId(
  ruleId: number,
  dedupeKey: string,
  windowStart: string,
  what: string,
): string {
  const h = createHash("sha256").update(`${ruleId}\n${dedupeKey}\n${windowStart}\n${what}`)
    .digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${
    h.slice(20, 32)
  }`;
}

/** Builds the alert a rule sends. */
export function ruleAlert(
  rule: AlertRuleRecord,
  sample: ThrottleSample,
  fields: { id: string; suppressed: number; title?: string; summary?: string },
): RoutedAlert {
  const alert: Alert = {
    ...sample.content,
    id: fields.id,
    kind: sample.kind,
    severity: rule.severity as Alert["severity"],
    occurred_at: sample.occurred_at,
    suppressed_count: fields.suppressed,
    rule: rule.name,
  };
  if (fields.title !== undefined) alert.title = fields.title;
  if (fields.summary !== undefined) alert.summary = fields.summary;
  return { alert, channel_ids: rule.channel_ids };
}

/** Adds `seconds` to an ISO time. */
export function addSeconds(iso: string, seconds: number): string {
  return new Date(Date.parse(iso) + seconds * 1000).toISOString();
}
