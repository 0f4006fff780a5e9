/** What every API key starts with (so a log scanner, and the auth guard, can tell one). */
export const API_KEY_PREFIX = "dk_";

/**
 * The sha256 (hex) of an API key: what is stored and looked up. A plain
 * hash is enough because keys carry 256 random bits (nothing to guess).
 *
 * @param key the whole key, `dk_...`
 * @returns 64 hex digits
 * @example
 * ```ts
 * await hashApiKey("dk_example"); // "5c0e..."
 * ```
 */
export async function hashApiKey(key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
