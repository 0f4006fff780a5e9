import type { BusMessage } from "../bus/mod.ts";
import type { Alert } from "./alert.ts";
import type { AlertFeed } from "./alert_sources.ts";

/** Payload fields that carry when a record happened, in the order they are tried. */
const TIME_FIELDS = ["occurred_at", "time", "last_at", "at", "first_seen"] as const;

/**
 * A stored record (a service event, trigger, fingerprint, domain event or
 * audit entry) as the alert a feed channel receives: kind `event` or
 * `audit`, the bus topic and the record itself. Its id is the stream and
 * row id, the same on every replay, so the outbox and receivers drop repeats.
 *
 * @example
 * ```ts
 * import { forwardedAlert } from "./forwarded_alert.ts";
 * const alert = forwardedAlert(
 *   { topic: "audit.user.added", payload: { action: "user.added", actor: "admin", outcome: "success", occurred_at: "2026-12-01T10:00:00.000Z" } },
 *   { feed: "audit_log", stream: "audit_log", position: 7 },
 * );
 * alert.id; // "audit_log:7"
 * ```
 */
export function forwardedAlert(
  message: BusMessage,
  source: { feed: AlertFeed; stream: string; position: number },
): Alert {
  const p = message.payload;
  const text = (key: string) => typeof p[key] === "string" ? p[key] as string : undefined;
  const at = TIME_FIELDS.map(text).find((v) => v !== undefined && !Number.isNaN(Date.parse(v)));
  const audit = source.feed === "audit_log";
  const srcIp = text("src_ip") ?? text("ip");
  const decky = text("decky") ?? text("decky_name");
  return {
    id: `${source.stream}:${source.position}`,
    kind: audit ? "audit" : "event",
    severity: "info",
    occurred_at: at ? new Date(at).toISOString() : new Date(0).toISOString(),
    title: audit
      ? `Audit: ${text("action")} by ${text("actor")} (${text("outcome")})`
      : `Event ${message.topic}`,
    summary: audit
      ? `${text("actor")} ${text("action")}${text("target") ? ` ${text("target")}` : ""}: ${
        text("outcome")
      }`
      : `${message.topic}${srcIp ? ` from ${srcIp}` : ""}${decky ? ` on ${decky}` : ""}`,
    ...(srcIp ? { src_ip: srcIp } : {}),
    ...(decky ? { decky } : {}),
    suppressed_count: 0,
    topic: message.topic,
    record: { ...p },
  };
}
