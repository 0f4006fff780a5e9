import type { AuditRow } from "../db/mod.ts";
import type { AuditPayload, JsonValue } from "../bus/mod.ts";

/**
 * The one wire shape of an audit entry: the API lists it, `audit.<action>`
 * carries it, the dashboard shows it.
 *
 * @param row the stored entry
 * @returns the entry with its details parsed
 */
export function auditView(row: AuditRow): AuditPayload {
  return {
    id: row.id,
    occurred_at: row.occurred_at,
    actor: row.actor,
    actor_kind: row.actor_kind,
    os_user: row.os_user,
    client_ip: row.client_ip,
    action: row.action,
    target: row.target,
    outcome: row.outcome,
    detail: JSON.parse(row.detail) as { [key: string]: JsonValue },
  };
}
