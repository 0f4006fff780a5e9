import type { MiddlewareHandler } from "hono";
import type { AppDeps } from "../app_deps.ts";
import type { AppEnv } from "../app_env.ts";
import { HttpError } from "../http_error.ts";
import { CSRF_HEADER, readSessionCookie } from "./session_cookie.ts";
import { grantAccess } from "./grant_access.ts";
import { API_KEY_PREFIX } from "./hash_api_key.ts";

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
 * in `deps.accessCache` for a few seconds (see `grantAccess`, `AccessCache`):
 * a change made here clears it at once, one made by another process is
 * seen within its TTL. A cookie-authenticated request that changes state
 * must carry `X-Requested-With` (a header other origins cannot send without
 * a CORS preflight, which the API never grants), else 403.
 *
 * @example
 * ```ts
 * import type { Handler, Hono } from "hono";
 * import type { AppDeps } from "../app_deps.ts";
 * import type { AppEnv } from "../app_env.ts";
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
    const result = await grantAccess(deps, token, { isKey });
    if (!result.ok) throw unauthorized(result.reason);
    const { granted } = result;
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

function unauthorized(message: string): HttpError {
  return new HttpError(401, "unauthorized", message, {
    headers: { "WWW-Authenticate": 'Bearer realm="api"' },
  });
}
