import { z } from "zod";
import type { AppDeps } from "../../app_deps.ts";
import { ApiRouter } from "../../api_router.ts";
import type { AuthGuard } from "../../api_router.ts";
import { clientIp } from "../../client_ip.ts";
import { HttpError } from "../../http_error.ts";
import { DUMMY_PASSWORD_HASH, verifyPassword } from "../../auth/password_hash.ts";

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
    const now = deps.now().getTime();
    const keys = [`ip:${clientIp(c)}`, `user:${body.username.toLowerCase()}`];
    const retryAfter = Math.max(...keys.map((k) => deps.loginLimiter.retryAfterSeconds(k, now)));
    if (retryAfter > 0) {
      deps.log.warn("login rate-limited", { ip: clientIp(c), username: body.username });
      throw new HttpError(429, "too_many_attempts", "Too many login attempts; try again later", {
        headers: { "Retry-After": String(retryAfter) },
      });
    }
    const user = await deps.repos.users.findByUsername(body.username);
    // Hash even for unknown users so timing does not reveal which names exist.
    const ok = await verifyPassword(body.password, user?.password_hash ?? DUMMY_PASSWORD_HASH);
    if (!user || !ok) {
      for (const k of keys) deps.loginLimiter.record(k, now);
      deps.log.info("login failed", { ip: clientIp(c), username: body.username });
      throw new HttpError(401, "invalid_credentials", "Wrong username or password");
    }
    deps.loginLimiter.reset(keys[1]);
    const ttl = deps.config.jwtTtlSeconds;
    const { token } = await deps.jwt.sign(
      { sub: user.uuid, role: user.role, name: user.username },
      { ttlSeconds: ttl, now: deps.now() },
    );
    deps.log.info("login", { ip: clientIp(c), username: user.username });
    return c.json({ access_token: token, token_type: "bearer", expires_in: ttl });
  });

  router.route({
    method: "post",
    path: "/logout",
    summary: "Revoke the bearer token used for this request",
    access: "viewer",
    responses: { 204: "Revoked", 401: "Not signed in" },
  }, async (c) => {
    const claims = c.get("claims");
    await deps.repos.users.revokeToken(claims.jti, new Date(claims.exp * 1000));
    await deps.repos.users.pruneRevokedTokens();
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
    return c.json({
      uuid: user.uuid,
      username: user.username,
      role: user.role,
      expires_at: new Date(claims.exp * 1000).toISOString(),
    });
  });

  router.route({
    method: "post",
    path: "/sse-ticket",
    summary: "A single-use ticket (60 s) for one live-event stream (?ticket=)",
    access: "viewer",
    responses: { 201: "Ticket issued", 401: "Not signed in" },
  }, (c) => {
    const { ticket, expiresIn } = deps.tickets.issue(c.get("user"), deps.now().getTime());
    return c.json({ ticket, expires_in: expiresIn }, 201);
  });

  return router;
}
