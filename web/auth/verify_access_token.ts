import type { AppDeps } from "../app_deps.ts";
import type { AuthUser } from "../app_env.ts";
import { checkSession } from "./check_session.ts";
import type { TokenClaims } from "./jwt.ts";

/** A verified token: who it belongs to and its claims, or why it was refused. */
export type AccessCheck =
  | { ok: true; user: AuthUser; claims: TokenClaims }
  | { ok: false; reason: string };

/**
 * Verifies a bearer token (from a header or the session cookie): signature
 * and expiry, then {@linkcode checkSession} (not revoked, user still exists,
 * not issued before the user's last password change).
 *
 * @example
 * ```ts
 * import type { AppDeps } from "../app_deps.ts";
 * import { verifyAccessToken } from "./verify_access_token.ts";
 * declare const deps: AppDeps;
 * declare const token: string;
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
  const session = await checkSession(deps, claims);
  return session.ok ? { ok: true, user: session.user, claims } : session;
}
