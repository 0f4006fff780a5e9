import type { MiddlewareHandler } from "hono";
import { createProxyMatcher, resolveClientIp } from "../canary/mod.ts";
import type { AppEnv } from "./app_env.ts";

/**
 * Middleware factory: sets `c.var.client` to where the request really came
 * from. The TCP peer's address and the URL's scheme, unless the peer is one
 * of `trustedProxies` (DECNET_API_TRUSTED_PROXIES): then X-Forwarded-For
 * (walked from the right past trusted hops) and X-Forwarded-Proto (its last
 * value, the one the nearest proxy set) are believed. Anyone else could
 * forge those headers, so they are ignored from everyone else.
 *
 * @param trustedProxies CIDR blocks of the reverse proxies in front of the API
 * @returns middleware for every route
 * @example
 * ```ts
 * import type { Hono } from "hono";
 * import type { AppEnv } from "./app_env.ts";
 * declare const app: Hono<AppEnv>;
 * app.use("*", requestClient(["127.0.0.1/32"]));
 * app.get("/", (c) => c.text(c.get("client").ip));
 * ```
 */
export function requestClient(trustedProxies: readonly string[]): MiddlewareHandler<AppEnv> {
  const proxies = createProxyMatcher(trustedProxies);
  return async (c, next) => {
    const peer = c.env?.remoteAddr?.hostname ?? "unknown";
    const ip = resolveClientIp(peer, c.req.header("x-forwarded-for") ?? null, proxies);
    // A request URL is absolute with a lower-case scheme: no need to parse all of it.
    let https = c.req.url.startsWith("https:");
    const proto = c.req.header("x-forwarded-proto");
    if (proto !== undefined && proxies.isTrusted(peer)) {
      https = proto.split(",").at(-1)!.trim().toLowerCase() === "https";
    }
    c.set("client", { ip, https });
    await next();
  };
}
