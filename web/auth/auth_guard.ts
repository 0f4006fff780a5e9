import type { MiddlewareHandler } from "hono";
import type { AppDeps } from "../app_deps.ts";
import type { AppEnv } from "../app_env.ts";
import { HttpError } from "../http_error.ts";
import { CSRF_HEADER, readSessionCookie } from "./session_cookie.ts";
import { verifyAccessToken } from "./verify_access_token.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Middleware factory: 401 without a valid, unrevoked token whose user still
 * exists and has not changed password since; 403 for the wrong role.
 *
 * The token comes from `Authorization: Bearer` or, for the dashboard, the
 * HttpOnly session cookie. A cookie-authenticated request that changes state
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
  deps: Pick<AppDeps, "jwt" | "repos" | "now">,
): (access: "viewer" | "admin") => MiddlewareHandler<AppEnv> {
  return (access) => async (c, next) => {
    const header = c.req.header("authorization");
    let token: string;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
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
    const check = await verifyAccessToken(deps, token);
    if (!check.ok) throw unauthorized(check.reason);
    if (access === "admin" && check.user.role !== "admin") {
      throw new HttpError(403, "forbidden", "This action needs the admin role");
    }
    c.set("user", check.user);
    c.set("claims", check.claims);
    await next();
  };
}

function unauthorized(message: string): HttpError {
  return new HttpError(401, "unauthorized", message, {
    headers: { "WWW-Authenticate": 'Bearer realm="api"' },
  });
}
