import type { CanaryContext } from "./canary_context.ts";

/**
 * The host name a bait points at: `<slug>.<dnsZone>` when there is a zone
 * (the slug is the first label under the zone), else the HTTP base's host.
 *
 * @param context the artifact context
 * @returns a host name without port
 */
export function callbackHost(context: CanaryContext): string {
  if (context.dnsZone !== "") return `${context.slug}.${context.dnsZone}`;
  return new URL(context.httpBase).hostname;
}
