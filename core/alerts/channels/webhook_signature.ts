const encoder = new TextEncoder();

/**
 * The `X-Decnet-Signature` value of a webhook request:
 * `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`, where `timestamp`
 * is the request's `X-Decnet-Timestamp` header (Unix seconds). A receiver
 * recomputes it over the raw body, compares in constant time, and refuses a
 * timestamp more than a few minutes from its clock, so a captured request
 * cannot be replayed later; repeats within that window carry the same
 * `Idempotency-Key` and are dropped by it.
 *
 * @param secret the channel's `secret`
 * @param timestamp Unix seconds, as sent in `X-Decnet-Timestamp`
 * @param body the exact request body
 * @returns `sha256=` and 64 lower-case hex digits
 * @example
 * ```ts
 * import { webhookSignature } from "./webhook_signature.ts";
 * await webhookSignature("a shared secret of 16+", 1764597600, '{"id":"x"}'); // "sha256=..."
 * ```
 */
export async function webhookSignature(
  secret: string,
  timestamp: number,
  body: string,
): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(`${timestamp}.${body}`));
  return `sha256=${
    Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, "0")).join("")
  }`;
}
