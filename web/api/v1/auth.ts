import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../app_env.ts";
import type { TokenClaims } from "../../auth/jwt.ts";
import type { AppDeps } from "../../app_deps.ts";
import { ApiRouter } from "../../api_router.ts";
import type { AuthGuard } from "../../api_router.ts";
import { passwordLogin } from "../../auth/password_login.ts";
import { sessionsChanged } from "../../auth/sessions_changed.ts";
import { HttpError } from "../../http_error.ts";

const LoginBody = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(1024),
}).strict();

/**
 * `/api/v1/auth`: login (rate-limited per IP and per username), logout
 * (revokes the token), me, and single-use SSE tickets.
 */
export function authRouter(deps: AppDeps, guard: AuthGuard): ApiRouter {
  const router = new ApiRouter("/api/v1/auth", guard);

  router.route({
    method: "post",
    path: "/login",
    summary: "Exchange a username and password for a bearer token",
    access: "public",
    body: LoginBody,
    responses: {
      200: "Token issued",
      400: "Invalid body",
      401: "Wrong credentials",
      429: "Too many attempts",
    },
  }, async (c, { body }) => {
    const { token, ttlSeconds: ttl } = await passwordLogin(deps, {
      ip: c.get("client").ip,
      username: body.username,
      password: body.password,
    });
    return c.json({ access_token: token, token_type: "bearer", expires_in: ttl });
  });

  router.route({
    method: "post",
    path: "/logout",
    summary: "Revoke the bearer token used for this request",
    access: "viewer",
    responses: { 204: "Revoked", 401: "Not signed in" },
  }, async (c) => {
    const claims = sessionClaims(c);
    await deps.repos.users.revokeToken(claims.jti, new Date(claims.exp * 1000));
    await deps.repos.users.pruneRevokedTokens();
    // Live streams opened with this token close now, not at their next periodic check.
    sessionsChanged(deps);
    return c.body(null, 204);
  });

  router.route({
    method: "get",
    path: "/me",
    summary: "The signed-in user",
    access: "viewer",
    responses: { 200: "The user", 401: "Not signed in" },
  }, (c) => {
    const user = c.get("user");
    const claims = c.get("claims");
    const key = c.get("apiKey");
    return c.json({
      uuid: user.uuid,
      username: user.username,
      role: user.role,
      expires_at: claims ? new Date(claims.exp * 1000).toISOString() : key?.expiresAt ?? null,
    });
  });

  router.route({
    method: "post",
    path: "/sse-ticket",
    summary: "A single-use ticket (60 s) for one live-event stream (?ticket=)",
    access: "viewer",
    responses: {
      201: "Ticket issued",
      401: "Not signed in",
      429: "Too many unredeemed tickets",
    },
  }, (c) => {
    const issued = deps.tickets.issue(
      { user: c.get("user"), claims: sessionClaims(c) },
      deps.now().getTime(),
    );
    if ("retryAfterSeconds" in issued) {
      throw new HttpError(
        429,
        "too_many_tickets",
        "Too many unredeemed stream tickets for this user; open a stream with one or wait",
        { headers: { "Retry-After": String(issued.retryAfterSeconds) } },
      );
    }
    return c.json({ ticket: issued.ticket, expires_in: issued.expiresIn }, 201);
  });

  return router;
}

/** The signed-in session's claims (API keys, read-only, never reach these routes). */
function sessionClaims(c: Context<AppEnv>): TokenClaims {
  const claims = c.get("claims");
  if (!claims) throw new HttpError(403, "forbidden", "This action needs a signed-in session");
  return claims;
}
