import type { AppDeps } from "../app_deps.ts";
import type { AuthUser } from "../app_env.ts";
import type { TokenClaims } from "./jwt.ts";

/** Whether a session still stands: its user, or why it ended. */
export type SessionCheck = { ok: true; user: AuthUser } | { ok: false; reason: string };

/**
 * Whether the session behind already verified token claims still stands:
 * not expired, not revoked (logout), its user still exists and has not
 * changed password since the token was issued. Asked on every request and,
 * for open live streams, every few seconds (another process such as
 * `decnet user remove` may have ended it).
 *
 * @example
 * ```ts
 * import type { AppDeps } from "../app_deps.ts";
 * import type { TokenClaims } from "./jwt.ts";
 * import { checkSession } from "./check_session.ts";
 * declare const deps: AppDeps;
 * declare const claims: TokenClaims;
 * declare function closeStream(reason: string): void;
 * const check = await checkSession(deps, claims);
 * if (!check.ok) closeStream(check.reason);
 * ```
 */
export async function checkSession(
  deps: Pick<AppDeps, "repos" | "now">,
  claims: Pick<TokenClaims, "sub" | "jti" | "iat" | "exp">,
): Promise<SessionCheck> {
  if (claims.exp * 1000 <= deps.now().getTime()) return { ok: false, reason: "Token expired" };
  if (await deps.repos.users.isTokenRevoked(claims.jti)) {
    return { ok: false, reason: "Token revoked" };
  }
  const user = await deps.repos.users.findByUuid(claims.sub);
  if (!user) return { ok: false, reason: "Unknown user" };
  if (claims.iat * 1000 < Date.parse(user.password_changed_at)) {
    return { ok: false, reason: "Token issued before the last password change" };
  }
  return { ok: true, user: { uuid: user.uuid, username: user.username, role: user.role } };
}
