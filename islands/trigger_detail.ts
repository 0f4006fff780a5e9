import type { TriggerView } from "../web/api/v1/canary.ts";

/**
 * What a trigger asked: the DNS name, or the HTTP method and path, then the
 * user agent in parentheses.
 *
 * @example
 * ```ts
 * import type { TriggerView } from "../web/api/v1/canary.ts";
 * import { triggerDetail } from "./trigger_detail.ts";
 * declare const t: TriggerView; // GET /c/x by curl/8.0
 * triggerDetail(t); // "GET /c/x (curl/8.0)"
 * ```
 */
export function triggerDetail(
  t: Pick<TriggerView, "dns_qname" | "method" | "request_path" | "user_agent">,
): string {
  const request = t.dns_qname ?? [t.method, t.request_path].filter(Boolean).join(" ");
  return t.user_agent ? `${request} (${t.user_agent})` : request;
}
