import type {
  AttackerPayload,
  CredentialPayload,
  JsonValue,
  ServiceEventPayload,
} from "../bus/mod.ts";
import type { AttackerRow, CredentialRow, ServiceEventRow } from "../db/mod.ts";

/**
 * A stored attacker as the API lists it and the bus carries it.
 *
 * @example
 * ```ts
 * import type { AttackerRow } from "../db/mod.ts";
 * declare const row: AttackerRow;
 * attackerView(row).event_count === row.eventCount; // true
 * ```
 */
export function attackerView(row: AttackerRow): AttackerPayload {
  return {
    id: row.id,
    ip: row.ip,
    first_seen: row.firstSeen,
    last_seen: row.lastSeen,
    event_count: row.eventCount,
    credential_count: row.credentialCount,
    command_count: row.commandCount,
    tcp_fingerprint: row.tcpFingerprint ?? null,
    ...row.rollup,
  };
}

/** A stored sensor event as the API lists it and the bus carries it (detail decoded). */
export function serviceEventView(row: ServiceEventRow): ServiceEventPayload {
  return {
    id: Number(row.id),
    time: row.occurred_at,
    decky: row.decky,
    service: row.service,
    kind: row.kind,
    src_ip: row.src_ip,
    src_port: Number(row.src_port),
    dst_port: Number(row.dst_port),
    session: row.session,
    username: row.username,
    text: row.text,
    detail: JSON.parse(row.detail) as { [key: string]: JsonValue },
    benign: Number(row.benign) === 1,
  };
}

/** A credential's first sighting, without its secret (the bus reaches viewers). */
export function credentialEvent(row: CredentialRow, attackerId: number): CredentialPayload {
  return {
    id: Number(row.id),
    attacker_id: attackerId,
    service: row.service,
    username: row.username,
    secret_kind: row.secret_kind,
    domain: row.domain,
    hashcat_mode: row.hashcat_mode === null ? null : Number(row.hashcat_mode),
    first_seen: row.first_seen,
    src_ip: row.last_src_ip,
  };
}

/**
 * A credential as `GET /api/v1/credentials` lists it. The secret and the
 * hashcat line are there for admins only: a viewer sees who tried what kind
 * of secret where, not the material to crack it.
 */
export interface CredentialView {
  id: number;
  service: string;
  username: string;
  secret_kind: string;
  domain: string | null;
  hashcat_mode: number | null;
  first_seen: string;
  last_seen: string;
  count: number;
  last_src_ip: string;
  secret?: string;
  hashcat_line?: string | null;
}

/** A stored credential as the API shows it to `role`. */
export function credentialView(row: CredentialRow, role: "admin" | "viewer"): CredentialView {
  const view: CredentialView = {
    id: Number(row.id),
    service: row.service,
    username: row.username,
    secret_kind: row.secret_kind,
    domain: row.domain,
    hashcat_mode: row.hashcat_mode === null ? null : Number(row.hashcat_mode),
    first_seen: row.first_seen,
    last_seen: row.last_seen,
    count: Number(row.count),
    last_src_ip: row.last_src_ip,
  };
  if (role === "admin") {
    view.secret = row.secret;
    view.hashcat_line = row.hashcat_line;
  }
  return view;
}
