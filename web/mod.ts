/**
 * The web side: the Hono app (`/api/v1/*` routers, auth, SSE, dashboard
 * pages, island assets) and its server.
 *
 * @module
 */
export { createApp } from "./create_app.ts";
export { serveApi } from "./serve_api.ts";
export type { ApiServer, ServeApiOptions } from "./serve_api.ts";
export type { AppDeps } from "./app_deps.ts";
export type { AppEnv, AuthUser } from "./app_env.ts";
export { HttpError } from "./http_error.ts";
export { JwtSigner } from "./auth/jwt.ts";
export { LoginThrottle } from "./auth/login_throttle.ts";
export type { LoginThrottleConfig } from "./auth/login_throttle.ts";
export { SseTickets } from "./auth/sse_tickets.ts";
export { ensureFirstAdmin, generatePassword } from "./auth/ensure_first_admin.ts";
export type { FirstAdminResult } from "./auth/ensure_first_admin.ts";
export { hashPassword, verifyPassword } from "./auth/password_hash.ts";
export { USERNAME_REGEXP, validateUsername } from "./auth/username.ts";
export { startApi } from "./start_api.ts";
export type { ApiHandle, StartApiOptions } from "./start_api.ts";
export { SSE_KEEPALIVE_MS, sseStream } from "./sse_stream.ts";
export type { SseEvent, SseStreamOptions } from "./sse_stream.ts";
export { CANARY_UPLOAD_PATH, canaryRouter } from "./api/v1/canary.ts";
