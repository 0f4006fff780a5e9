import type { CredentialView } from "./attacker_views.ts";
import { attackerView, credentialView, serviceEventView } from "./attacker_views.ts";
import type { AttackerPayload, ServiceEventPayload } from "../bus/mod.ts";
import type { AttackersRepository, CanaryRepository, TriggerView } from "../db/mod.ts";

/** Events an attacker detail shows (newest first); the logs page pages through the rest. */
export const TIMELINE_LIMIT = 200;

/** An attacker with what it touched, its latest events and its credentials. */
export type AttackerDetail = AttackerPayload & {
  services: {
    decky: string;
    service: string;
    first_seen: string;
    last_seen: string;
    event_count: number;
  }[];
  events: { items: ServiceEventPayload[]; total: number };
  credentials: CredentialView[];
  /** Canary triggers fired from the attacker's address, newest first. */
  canary_hits: TriggerView[];
};

/**
 * `GET /api/v1/attackers/{id}` and the attacker page: one attacker in full,
 * with secrets only for admins; undefined when there is no such attacker.
 *
 * @example
 * ```ts
 * import type { AttackersRepository, CanaryRepository } from "../db/mod.ts";
 * declare const repos: { attackers: AttackersRepository; canary: CanaryRepository };
 * const detail = await loadAttacker(repos, 7, "viewer");
 * ```
 */
export async function loadAttacker(
  repos: { attackers: AttackersRepository; canary: CanaryRepository },
  id: number,
  role: "admin" | "viewer",
): Promise<AttackerDetail | undefined> {
  const repo = repos.attackers;
  const row = await repo.getAttacker(id);
  if (!row) return undefined;
  const [services, events, credentials, canaryHits] = await Promise.all([
    repo.attackerServices(row.id),
    repo.listServiceEvents({ srcIp: row.ip, limit: TIMELINE_LIMIT, offset: 0 }),
    repo.listCredentials({ srcIp: row.ip, limit: 1000, offset: 0 }),
    repos.canary.triggersFromSource(row.ip, { limit: TIMELINE_LIMIT, offset: 0 }),
  ]);
  return {
    ...attackerView(row),
    services: services.map((s) => ({
      decky: s.decky,
      service: s.service,
      first_seen: s.first_seen,
      last_seen: s.last_seen,
      event_count: Number(s.event_count),
    })),
    events: { items: events.items.map(serviceEventView), total: events.total },
    credentials: credentials.items.map((r) => credentialView(r, role)),
    canary_hits: canaryHits,
  };
}
