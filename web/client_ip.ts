import type { Context } from "hono";
import type { AppEnv } from "./app_env.ts";

/** The TCP peer's address (never a forwarded header: the API trusts no proxy). */
export function clientIp(c: Context<AppEnv>): string {
  return c.env?.remoteAddr?.hostname ?? "unknown";
}
