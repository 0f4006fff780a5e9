import type { Selectable } from "kysely";
import type { CanaryTokensTable, CanaryTriggersTable } from "../schema.ts";

/**
 * A canary trigger on the wire: what the API lists, what
 * `canary.<token>.triggered` carries (with `event`) and what the dashboard
 * shows; one shape from the database to the island. A rollup row
 * (`rollup_scope` set) counts `hit_count` hits from `occurred_at` to
 * `last_at`; its `src_ip` is the source, its prefix or `*`, and its request
 * fields are the first hit's. `token_kind` and `decky_name` are the token's.
 */
export type TriggerView = {
  id: number;
  token_uuid: string;
  token_kind: CanaryTokensTable["kind"];
  decky_name: string | null;
  occurred_at: string;
  channel: "http" | "dns";
  src_ip: string;
  user_agent: string | null;
  method: string | null;
  request_path: string | null;
  dns_qname: string | null;
  dns_client_subnet: string | null;
  headers: Record<string, string>;
  hit_count: number;
  last_at: string | null;
  rollup_scope: CanaryTriggersTable["rollup_scope"];
};

/** A stored trigger row joined with its token's kind and decky. */
export type TriggerViewRow = Selectable<CanaryTriggersTable> & {
  token_kind: CanaryTokensTable["kind"];
  decky_name: string | null;
};

/**
 * The view of a stored trigger row (headers parsed; MySQL's BIGINT strings
 * made numbers). Internal to core/db: the row type stays here.
 *
 * @example
 * ```ts
 * import { triggerView, type TriggerViewRow } from "./trigger_view.ts";
 * declare const row: TriggerViewRow;
 * triggerView(row).channel; // "dns" when a DNS name was asked, else "http"
 * ```
 */
export function triggerView(row: TriggerViewRow): TriggerView {
  let headers: Record<string, string> = {};
  try {
    headers = JSON.parse(row.headers);
  } catch {
    // kept empty: a malformed row must not break a listing
  }
  return {
    id: Number(row.id),
    token_uuid: row.token_uuid,
    token_kind: row.token_kind,
    decky_name: row.decky_name,
    occurred_at: row.occurred_at,
    channel: row.dns_qname !== null ? "dns" : "http",
    src_ip: row.src_ip,
    user_agent: row.user_agent,
    method: row.method,
    request_path: row.request_path,
    dns_qname: row.dns_qname,
    dns_client_subnet: row.dns_client_subnet,
    headers,
    hit_count: Number(row.hit_count),
    last_at: row.last_at,
    rollup_scope: row.rollup_scope,
  };
}
