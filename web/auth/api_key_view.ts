import type { ApiKeyRow } from "../../core/db/mod.ts";

/** An API key as the API and `decnet api-key list --json` show it (never the key or its hash). */
export interface ApiKeyView {
  uuid: string;
  name: string;
  role: ApiKeyRow["role"];
  key_prefix: string;
  created_by: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  /** active, expired or revoked, at the time of the listing. */
  state: "active" | "expired" | "revoked";
}

/**
 * The wire shape of a stored key at `now`.
 *
 * @param row the stored key
 * @param now the current time (decides `expired`)
 * @returns the view
 */
export function apiKeyView(row: ApiKeyRow, now: Date): ApiKeyView {
  const state = row.revoked_at !== null
    ? "revoked"
    : row.expires_at !== null && Date.parse(row.expires_at) <= now.getTime()
    ? "expired"
    : "active";
  return {
    uuid: row.uuid,
    name: row.name,
    role: row.role,
    key_prefix: row.key_prefix,
    created_by: row.created_by,
    created_at: row.created_at,
    expires_at: row.expires_at,
    last_used_at: row.last_used_at,
    revoked_at: row.revoked_at,
    state,
  };
}
