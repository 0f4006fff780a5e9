import type { ApiKeyRow } from "../../core/db/mod.ts";
import type { AppDeps } from "../app_deps.ts";
import type { AuthUser } from "../app_env.ts";
import { hashApiKey } from "./hash_api_key.ts";

/** A key that may read: the identity requests run as, or why it was refused. */
export type ApiKeyCheck =
  | { ok: true; user: AuthUser; key: ApiKeyRow }
  | { ok: false; reason: string };

/**
 * Checks an API key on every keyed request: known, not revoked, not
 * expired (revocation and expiry take effect at once). Marks it used.
 * The request runs as a viewer, or for an `admin-read` key with an admin's
 * read access (the guard refuses every method but GET/HEAD).
 *
 * @example
 * ```ts
 * import type { AppDeps } from "../app_deps.ts";
 * import { verifyApiKey } from "./verify_api_key.ts";
 * declare const deps: AppDeps;
 * const check = await verifyApiKey(deps, "dk_...");
 * ```
 */
export async function verifyApiKey(
  deps: Pick<AppDeps, "repos" | "now">,
  key: string,
): Promise<ApiKeyCheck> {
  const row = await deps.repos.apiKeys.findByHash(await hashApiKey(key));
  if (!row) return { ok: false, reason: "Unknown API key" };
  if (row.revoked_at !== null) return { ok: false, reason: "API key revoked" };
  if (row.expires_at !== null && Date.parse(row.expires_at) <= deps.now().getTime()) {
    return { ok: false, reason: "API key expired" };
  }
  await deps.repos.apiKeys.touch(row.uuid);
  return {
    ok: true,
    key: row,
    user: {
      uuid: row.uuid,
      username: `api-key:${row.name}`,
      role: row.role === "admin-read" ? "admin" : "viewer",
    },
  };
}
