import type { AttackersRepository, CanaryRepository } from "../db/mod.ts";
import type { AlertEvent } from "./alert_event.ts";

/** The stored records {@linkcode enrichAlertEvent} reads. */
export interface AlertEventSources {
  canary: Pick<CanaryRepository, "getToken">;
  attackers: Pick<AttackersRepository, "listCredentials">;
}

/**
 * Completes an event's content from what is stored but not on the bus:
 * where a canary token was planted, and a captured credential's secret
 * (which channels mask unless told not to).
 *
 * @example
 * ```ts
 * import type { AlertEvent } from "./alert_event.ts";
 * import { type AlertEventSources, enrichAlertEvent } from "./enrich_alert_event.ts";
 * declare const sources: AlertEventSources;
 * declare const event: AlertEvent;
 * const full = await enrichAlertEvent(event, sources);
 * ```
 */
export async function enrichAlertEvent(
  event: AlertEvent,
  sources: AlertEventSources,
): Promise<AlertEvent> {
  const content = { ...event.content };
  if (content.token) {
    const token = await sources.canary.getToken(content.token.uuid);
    if (token) {
      content.token = {
        ...content.token,
        ...(token.decky_name ? { decky: token.decky_name } : {}),
        ...(token.placement_path ? { placement_path: token.placement_path } : {}),
        ...(token.state === "planted" ? { planted_at: token.updated_at } : {}),
      };
      if (token.placement_path) {
        content.summary += ` (planted at ${token.placement_path}${
          token.decky_name ? ` on ${token.decky_name}` : ""
        })`;
      }
    }
  }
  const credentialId = event.refs?.credential_id;
  if (credentialId !== undefined && content.src_ip) {
    // A new credential is among the newest from its source.
    const { items } = await sources.attackers.listCredentials({
      srcIp: content.src_ip,
      service: content.service,
      limit: 50,
      offset: 0,
    });
    const c = items.find((i) => Number(i.id) === credentialId);
    if (c) {
      content.credential = {
        secret_kind: c.secret_kind,
        secret: c.secret,
        ...(c.domain ? { domain: c.domain } : {}),
        ...(c.hashcat_mode !== null ? { hashcat_mode: Number(c.hashcat_mode) } : {}),
        ...(c.hashcat_line ? { hashcat_line: c.hashcat_line } : {}),
      };
    }
  }
  return { ...event, content };
}
