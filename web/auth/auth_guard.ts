import type { MiddlewareHandler } from "hono";
import type { AppDeps } from "../app_deps.ts";
import type { AppEnv, GrantedAccess } from "../app_env.ts";
import { HttpError } from "../http_error.ts";
import { CSRF_HEADER, readSessionCookie } from "./session_cookie.ts";
import { verifyAccessToken } from "./verify_access_token.ts";
import { API_KEY_PREFIX } from "./hash_api_key.ts";
import { verifyApiKey } from "./verify_api_key.ts";

const BEARER_REGEXP = /^Bearer\s+(\S+)$/i;
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** What an API key may do: read. */
const API_KEY_METHODS = new Set(["GET", "HEAD"]);

/**
 * Middleware factory: 401 without a valid, unrevoked token whose user still
 * exists and has not changed password since; 403 for the wrong role.
 *
 * The token comes from `Authorization: Bearer` or, for the dashboard, the
 * HttpOnly session cookie. A read-only API key (`dk_...`, as a bearer token
 * or in `X-Api-Key`) is accepted for GET/HEAD only (403 for anything else),
 * with the read access of its role. What a credential was granted is kept
 * in `deps.accessCache` for a few seconds (see `AccessCache`):
 * a change made here clears it at once, one made by another process is
 * seen within its TTL. A cookie-authenticated request that changes state
 * must carry `X-Requested-With` (a header other origins cannot send without
 * a CORS preflight, which the API never grants), else 403.
 *
 * @example
 * ```ts
 * import type { Handler, Hono } from "hono";
 * import type { AppDeps } from "../app_deps.ts";
 * import type { AppEnv, GrantedAccess } from "../app_env.ts";
 * import { authGuard } from "./auth_guard.ts";
 * declare const app: Hono<AppEnv>;
 * declare const deps: AppDeps;
 * declare const listUsers: Handler<AppEnv>;
 * app.get("/api/v1/users", authGuard(deps)("admin"), listUsers);
 * ```
 */
export function authGuard(
  deps: Pick<AppDeps, "jwt" | "repos" | "now" | "accessCache">,
): (access: "viewer" | "admin") => MiddlewareHandler<AppEnv> {
  return (access) => async (c, next) => {
    const header = c.req.header("authorization");
    const keyHeader = c.req.header("x-api-key");
    let token: string;
    if (keyHeader !== undefined) token = keyHeader.trim();
    else if (header !== undefined) {
      const match = BEARER_REGEXP.exec(header);
      if (!match) throw unauthorized("Missing bearer token");
      token = match[1];
    } else {
      const cookie = readSessionCookie(c);
      if (!cookie) throw unauthorized("Missing bearer token");
      if (!SAFE_METHODS.has(c.req.method) && !c.req.header(CSRF_HEADER)) {
        throw new HttpError(
          403,
          "csrf",
          `Cookie-authenticated ${c.req.method} requests need the ${CSRF_HEADER} header`,
        );
      }
      token = cookie;
    }
    const isKey = keyHeader !== undefined || token.startsWith(API_KEY_PREFIX);
    const granted = await grant(deps, token, isKey);
    if (isKey && !API_KEY_METHODS.has(c.req.method)) {
      throw new HttpError(
        403,
        "read_only_key",
        `API keys are read-only: ${c.req.method} refused`,
      );
    }
    if (access === "admin" && granted.user.role !== "admin") {
      throw new HttpError(403, "forbidden", "This action needs the admin role");
    }
    c.set("user", granted.user);
    if (granted.claims) c.set("claims", granted.claims);
    if (granted.apiKey) c.set("apiKey", granted.apiKey);
    await next();
  };
}

/**
 * What `token` is granted: from the access cache while its entry lasts,
 * else verified (signature, revocation, user; or the key's row) and cached.
 * Keys and session tokens are cached apart: a session token sent as an API
 * key is still refused.
 */
async function grant(
  deps: Pick<AppDeps, "jwt" | "repos" | "now" | "accessCache">,
  token: string,
  isKey: boolean,
): Promise<GrantedAccess> {
  const cacheKey = (isKey ? "key " : "token ") + token;
  const now = deps.now().getTime();
  const cached = deps.accessCache.get(cacheKey, now);
  if (cached) return cached;
  if (isKey) {
    const check = await verifyApiKey(deps, token);
    if (!check.ok) throw unauthorized(check.reason);
    const { uuid, name, expires_at: expiresAt } = check.key;
    const granted = { user: check.user, apiKey: { uuid, name, expiresAt } };
    const notAfter = expiresAt === null ? Infinity : Date.parse(expiresAt);
    deps.accessCache.set(cacheKey, granted, { now, notAfter });
    return granted;
  }
  const check = await verifyAccessToken(deps, token);
  if (!check.ok) throw unauthorized(check.reason);
  const granted = { user: check.user, claims: check.claims };
  deps.accessCache.set(cacheKey, granted, { now, notAfter: check.claims.exp * 1000 });
  return granted;
}

function unauthorized(message: string): HttpError {
  return new HttpError(401, "unauthorized", message, {
    headers: { "WWW-Authenticate": 'Bearer realm="api"' },
  });
}
