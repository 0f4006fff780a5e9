import type { MiddlewareHandler } from "hono";
import type { AppDeps } from "../app_deps.ts";
import type { AppEnv } from "../app_env.ts";
import { HttpError } from "../http_error.ts";

/**
 * Middleware factory: 401 without a valid, unrevoked bearer token whose user
 * still exists and has not changed password since; 403 for the wrong role.
 *
 * @example
 * ```ts
 * app.get("/api/v1/users", authGuard(deps)("admin"), listUsers);
 * ```
 */
export function authGuard(
  deps: Pick<AppDeps, "jwt" | "repos" | "now">,
): (access: "viewer" | "admin") => MiddlewareHandler<AppEnv> {
  return (access) => async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthorized("Missing bearer token");
    const claims = await deps.jwt.verify(match[1], deps.now());
    if (!claims) throw unauthorized("Invalid or expired token");
    if (await deps.repos.users.isTokenRevoked(claims.jti)) throw unauthorized("Token revoked");
    const user = await deps.repos.users.findByUuid(claims.sub);
    if (!user) throw unauthorized("Unknown user");
    if (claims.iat * 1000 < Math.floor(Date.parse(user.password_changed_at) / 1000) * 1000) {
      throw unauthorized("Token issued before the last password change");
    }
    if (access === "admin" && user.role !== "admin") {
      throw new HttpError(403, "forbidden", "This action needs the admin role");
    }
    c.set("user", { uuid: user.uuid, username: user.username, role: user.role });
    c.set("claims", claims);
    await next();
  };
}

function unauthorized(message: string): HttpError {
  return new HttpError(401, "unauthorized", message, {
    headers: { "WWW-Authenticate": 'Bearer realm="api"' },
  });
}
