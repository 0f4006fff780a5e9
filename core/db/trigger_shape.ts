import type { TriggerInput } from "./repositories/canary_repository.ts";

/** The fields of a trigger that make its shape. */
export type TriggerShapeFields = Pick<
  TriggerInput,
  "method" | "requestPath" | "userAgent" | "dnsQname" | "dnsClientSubnet" | "headers"
>;

/**
 * What makes two hits "the same request" for rollups: for DNS the record
 * type, the name (letter case ignored, as DNS does) and the client subnet a
 * resolver passed on; for HTTP the method, the path without its query string
 * (cache-busting parameters do not make a new request) and the user agent.
 * The source is not part of the shape: rollups key on both.
 *
 * @param t the trigger (or a stored row mapped to these fields)
 * @returns a string equal for same-shaped hits
 *
 * @example
 * ```ts
 * triggerShape({ method: "GET", requestPath: "/c/x?v=1", userAgent: "curl/8", dnsQname: null,
 *   dnsClientSubnet: null, headers: {} }); // "http GET /c/x curl/8"
 * ```
 */
export function triggerShape(t: TriggerShapeFields): string {
  if (t.dnsQname !== null) {
    return `dns ${t.headers.qtype ?? ""} ${t.dnsQname.toLowerCase()} ${t.dnsClientSubnet ?? ""}`;
  }
  const path = (t.requestPath ?? "").split("?")[0];
  return `http ${t.method ?? ""} ${path} ${t.userAgent ?? ""}`;
}
