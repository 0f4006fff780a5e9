import type { AppDeps } from "../app_deps.ts";
import type { GrantedAccess } from "../app_env.ts";
import { verifyAccessToken } from "./verify_access_token.ts";
import { verifyApiKey } from "./verify_api_key.ts";

/** What a credential is granted, or why it is refused. */
export type AccessGrant = { ok: true; granted: GrantedAccess } | { ok: false; reason: string };

/**
 * What `token` is granted: from `deps.accessCache` while its entry lasts,
 * else verified (signature, revocation, user; or the key's row) and cached.
 * The API's guard and the dashboard's pages both ask here, so a logout,
 * user removal, password change or key revocation (which clear the cache)
 * refuses the credential at once in both. Keys and session tokens are
 * cached apart: a session token sent as an API key is still refused.
 *
 * @param token a session token (bearer or cookie), or an API key when `options.isKey`
 * @example
 * ```ts
 * import type { AppDeps } from "../app_deps.ts";
 * import { grantAccess } from "./grant_access.ts";
 * declare const deps: AppDeps;
 * declare const cookie: string;
 * const access = await grantAccess(deps, cookie, { isKey: false });
 * if (access.ok) console.info(access.granted.user.username);
 * ```
 */
export async function grantAccess(
  deps: Pick<AppDeps, "jwt" | "repos" | "now" | "accessCache">,
  token: string,
  options: { isKey: boolean },
): Promise<AccessGrant> {
  const cacheKey = (options.isKey ? "key " : "token ") + token;
  const now = deps.now().getTime();
  const cached = deps.accessCache.get(cacheKey, now);
  if (cached) return { ok: true, granted: cached };
  if (options.isKey) {
    const check = await verifyApiKey(deps, token);
    if (!check.ok) return check;
    const { uuid, name, expires_at: expiresAt } = check.key;
    const granted = { user: check.user, apiKey: { uuid, name, expiresAt } };
    const notAfter = expiresAt === null ? Infinity : Date.parse(expiresAt);
    deps.accessCache.set(cacheKey, granted, { now, notAfter });
    return { ok: true, granted };
  }
  const check = await verifyAccessToken(deps, token);
  if (!check.ok) return check;
  const granted = { user: check.user, claims: check.claims };
  deps.accessCache.set(cacheKey, granted, { now, notAfter: check.claims.exp * 1000 });
  return { ok: true, granted };
}
