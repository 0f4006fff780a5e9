import type { AppDeps } from "../app_deps.ts";
import type { AuthUser } from "../app_env.ts";
import type { TokenClaims } from "./jwt.ts";

/** A verified token: who it belongs to and its claims, or why it was refused. */
export type AccessCheck =
  | { ok: true; user: AuthUser; claims: TokenClaims }
  | { ok: false; reason: string };

/**
 * Verifies a bearer token (from a header or the session cookie): signature
 * and expiry, not revoked, user still exists, not issued before the user's
 * last password change.
 *
 * @example
 * ```ts
 * const check = await verifyAccessToken(deps, token);
 * if (check.ok) console.info(check.user.role);
 * ```
 */
export async function verifyAccessToken(
  deps: Pick<AppDeps, "jwt" | "repos" | "now">,
  token: string,
): Promise<AccessCheck> {
  const claims = await deps.jwt.verify(token, deps.now());
  if (!claims) return { ok: false, reason: "Invalid or expired token" };
  if (await deps.repos.users.isTokenRevoked(claims.jti)) {
    return { ok: false, reason: "Token revoked" };
  }
  const user = await deps.repos.users.findByUuid(claims.sub);
  if (!user) return { ok: false, reason: "Unknown user" };
  if (claims.iat * 1000 < Math.floor(Date.parse(user.password_changed_at) / 1000) * 1000) {
    return { ok: false, reason: "Token issued before the last password change" };
  }
  return { ok: true, user: { uuid: user.uuid, username: user.username, role: user.role }, claims };
}
