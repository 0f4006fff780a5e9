import type { Context } from "hono";
import type { AppEnv } from "../app_env.ts";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";

/** Name of the dashboard's session cookie (holds the same bearer token the API issues). */
export const SESSION_COOKIE = "session";

/** Header a cookie-authenticated state-changing API request must carry (CSRF guard). */
export const CSRF_HEADER = "X-Requested-With";

/** The session token from the request's cookie, if any. */
export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE) || undefined;
}

/**
 * Sets the session cookie: HttpOnly, SameSite=Strict, Path=/, Secure when
 * the request came over https (directly or through a trusted proxy, see
 * `requestClient`), expiring with the token.
 */
export function writeSessionCookie(c: Context<AppEnv>, token: string, maxAgeSeconds: number): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Strict",
    secure: c.get("client").https,
    path: "/",
    maxAge: maxAgeSeconds,
  });
}

/** Clears the session cookie. */
export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, {
    path: "/",
    secure: c.get("client").https,
  });
}
