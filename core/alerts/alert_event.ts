import type { Alert, AlertKind } from "./alert.ts";

/** Event kinds a rule can select (every alert kind but a channel's test and forwarded records). */
export type AlertEventKind = Exclude<AlertKind, "test" | "event" | "audit">;

/** Fields a rule's dedupe key can be made of. */
export const DEDUPE_FIELDS = [
  "token",
  "source",
  "decky",
  "worker",
  "attacker",
  "campaign",
] as const;

/** One of {@linkcode DEDUPE_FIELDS}. */
export type DedupeField = typeof DEDUPE_FIELDS[number];

/**
 * Something that may deserve an alert, taken from a bus message (or the
 * worker's own database probe): what rules filter and dedupe on, and the
 * alert's content before a rule gives it an id and a severity.
 */
export interface AlertEvent {
  kind: AlertEventKind;
  /** ISO 8601 UTC: when it happened; throttle windows are counted in this time. */
  occurred_at: string;
  /** What a rule's token, decky and kind filters compare with. */
  filter: { token?: string; decky?: string; kind?: string };
  /** What a rule's dedupe key is built from. */
  keys: Partial<Record<DedupeField, string>>;
  /** Reported once per key, ever (a first contact); repeats only counted. */
  once?: boolean;
  /** Stored records the worker reads to complete the content (the bus never carries secrets). */
  refs?: { credential_id?: number };
  /** The alert's content. */
  content: Omit<Alert, "id" | "kind" | "severity" | "occurred_at" | "suppressed_count" | "rule">;
}
