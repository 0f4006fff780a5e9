import type { CanaryTokensTable } from "../core/db/mod.ts";
import type { CanaryContext, CanaryPersona } from "./canary_context.ts";

/**
 * Rebuilds the artifact context of a stored token, so its artifact can be
 * derived again byte for byte (downloads, re-planting).
 *
 * @param token the stored row
 * @returns the context it was generated from
 */
export function contextFromToken(
  token: Pick<
    CanaryTokensTable,
    "callback_token" | "http_base" | "dns_zone" | "persona" | "created_at"
  >,
): CanaryContext {
  let persona: CanaryPersona = { os: "linux" };
  if (token.persona) {
    try {
      const parsed = JSON.parse(token.persona);
      if (parsed && (parsed.os === "linux" || parsed.os === "windows")) persona = parsed;
    } catch {
      // A bare OS name, as operators may store it.
      if (token.persona === "windows") persona = { os: "windows" };
    }
  }
  return {
    slug: token.callback_token,
    httpBase: token.http_base,
    dnsZone: token.dns_zone,
    persona,
    issuedAt: token.created_at,
  };
}
