import type { CanaryContext } from "./canary_context.ts";

/**
 * The HTTP callback URL of a context: `<httpBase>/c/<slug>`, plus an optional
 * sub-path that the listener also attributes to the slug.
 *
 * @param context the artifact context
 * @param suffix appended after the slug, e.g. `/infra.git`
 * @returns the URL as text
 * @example
 * ```ts
 * callbackUrl({ slug: "a".repeat(22), httpBase: "http://h", dnsZone: "", persona: { os: "linux" } });
 * // "http://h/c/aaaaaaaaaaaaaaaaaaaaaa"
 * ```
 */
export function callbackUrl(context: CanaryContext, suffix: string = ""): string {
  return `${context.httpBase}/c/${context.slug}${suffix}`;
}
