import type { CredentialView } from "./attacker_views.ts";
import { attackerView, credentialView, serviceEventView } from "./attacker_views.ts";
import type { AttackerPayload, ServiceEventPayload } from "../bus/mod.ts";
import type {
  AttackersRepository,
  CanaryRepository,
  TcpFingerprintsRepository,
  TriggerView,
} from "../db/mod.ts";
import type { TcpFingerprint } from "../sniffer/mod.ts";

/** Events an attacker detail shows (newest first); the logs page pages through the rest. */
export const TIMELINE_LIMIT = 200;
/** TCP fingerprint changes an attacker detail shows (newest first). */
export const TCP_HISTORY_LIMIT = 50;

/** An attacker with what it touched, its latest events and its credentials. */
export type AttackerDetail = AttackerPayload & {
  services: {
    decky: string;
    service: string;
    first_seen: string;
    last_seen: string;
    event_count: number;
    /** The swarm agent the decky runs on; null for this host's own. */
    host: string | null;
  }[];
  events: { items: ServiceEventPayload[]; total: number };
  credentials: CredentialView[];
  /** Canary triggers fired from the attacker's address, newest first. */
  canary_hits: TriggerView[];
  /** The sniffer's fingerprint events (each a change of its TCP stack key), newest first. */
  tcp_fingerprints: { items: TcpFingerprint[]; total: number };
};

/**
 * `GET /api/v1/attackers/{id}` and the attacker page: one attacker in full,
 * with secrets only for admins; undefined when there is no such attacker.
 *
 * @example
 * ```ts
 * import type { AttackersRepository, CanaryRepository } from "../db/mod.ts";
 * import type { TcpFingerprintsRepository } from "../db/mod.ts";
 * declare const repos: {
 *   attackers: AttackersRepository;
 *   canary: CanaryRepository;
 *   tcpFingerprints: TcpFingerprintsRepository;
 * };
 * const detail = await loadAttacker(repos, 7, "viewer");
 * ```
 */
export async function loadAttacker(
  repos: {
    attackers: AttackersRepository;
    canary: CanaryRepository;
    tcpFingerprints: TcpFingerprintsRepository;
  },
  id: number,
  role: "admin" | "viewer",
): Promise<AttackerDetail | undefined> {
  const repo = repos.attackers;
  const row = await repo.getAttacker(id);
  if (!row) return undefined;
  const [services, events, credentials, canaryHits, tcpFingerprints] = await Promise.all([
    repo.attackerServices(row.id),
    repo.listServiceEvents({ srcIp: row.ip, limit: TIMELINE_LIMIT, offset: 0 }),
    repo.listCredentials({ srcIp: row.ip, limit: 1000, offset: 0 }),
    repos.canary.triggersFromSource(row.ip, { limit: TIMELINE_LIMIT, offset: 0 }),
    repos.tcpFingerprints.listTcpFingerprints(row.id, { limit: TCP_HISTORY_LIMIT, offset: 0 }),
  ]);
  return {
    ...attackerView(row),
    services: services.map((s) => ({
      decky: s.decky,
      service: s.service,
      first_seen: s.first_seen,
      last_seen: s.last_seen,
      event_count: Number(s.event_count),
      host: s.host ?? null,
    })),
    events: { items: events.items.map(serviceEventView), total: events.total },
    credentials: credentials.items.map((r) => credentialView(r, role)),
    canary_hits: canaryHits,
    tcp_fingerprints: tcpFingerprints,
  };
}
