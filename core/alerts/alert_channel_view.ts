import type { AlertChannelRecord } from "../db/mod.ts";
import { channelDestinations, parseChannelConfig } from "./alert_channel.ts";
import { ChannelConfigError } from "./alert_channel.ts";

/** Settings that are credentials: never sent back, only whether they are set. */
const SECRET_SETTINGS = ["secret", "password"] as const;

/** A channel on the wire: its settings without secrets, its health and where it connects. */
export interface AlertChannelView {
  id: number;
  name: string;
  type: string;
  enabled: boolean;
  /** Settings as stored, credentials left out (a viewer also gets no webhook path or SMTP user). */
  config: Record<string, unknown>;
  /** Which credential settings are set (`secret`, `password`). */
  secrets_set: string[];
  /** `host:port` it connects to: what the alerts worker is allowed to reach for it. */
  destinations: string[];
  consecutive_failures: number;
  /** Why it was disabled after repeated failures, or null. */
  disabled_reason: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

/**
 * The wire shape of a stored channel for `role`. A webhook's URL path can
 * itself be the credential (chat services), so viewers see only its origin.
 *
 * @example
 * ```ts
 * import type { AlertChannelRecord } from "../db/mod.ts";
 * import { alertChannelView } from "./alert_channel_view.ts";
 * declare const record: AlertChannelRecord;
 * alertChannelView(record, "viewer").config.secret; // undefined
 * ```
 */
export function alertChannelView(
  record: AlertChannelRecord,
  role: "admin" | "viewer",
): AlertChannelView {
  const config: Record<string, unknown> = { ...record.config };
  const secretsSet = SECRET_SETTINGS.filter((k) => typeof config[k] === "string");
  for (const k of SECRET_SETTINGS) delete config[k];
  if (role !== "admin") {
    if (typeof config.url === "string") config.url = `${originOf(config.url)}/…`;
    delete config.username;
  }
  let destinations: string[] = [];
  try {
    destinations = channelDestinations(parseChannelConfig(record.config));
  } catch (e) {
    if (!(e instanceof ChannelConfigError)) throw e;
  }
  return {
    id: record.id,
    name: record.name,
    type: record.kind,
    enabled: record.enabled,
    config,
    secrets_set: [...secretsSet],
    destinations,
    consecutive_failures: record.consecutive_failures,
    disabled_reason: record.disabled_reason,
    last_error: record.last_error,
    created_at: record.created_at,
    updated_at: record.updated_at,
  };
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "";
  }
}
