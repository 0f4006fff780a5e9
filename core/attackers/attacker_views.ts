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
