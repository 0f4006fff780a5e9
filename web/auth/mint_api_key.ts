import { API_KEY_PREFIX, hashApiKey } from "./hash_api_key.ts";

/** A new key: shown once, then only its hash and prefix are kept. */
export interface MintedApiKey {
  /** `dk_` and 43 base64url characters (32 random bytes). */
  key: string;
  hash: string;
  /** `dk_` and the first 8 characters: tells keys apart in lists. */
  prefix: string;
}

/**
 * Makes a new API key from 32 random bytes.
 *
 * @param options `random` fills a byte array (default: crypto.getRandomValues)
 * @returns the key, its hash and its display prefix
 * @example
 * ```ts
 * const { key, hash } = await mintApiKey();
 * ```
 */
export async function mintApiKey(
  options: { random?: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array } = {},
): Promise<MintedApiKey> {
  const bytes = new Uint8Array(32);
  (options.random ?? ((b) => crypto.getRandomValues(b)))(bytes);
  const body = btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
    .replace(/=+$/, "");
  const key = `${API_KEY_PREFIX}${body}`;
  return { key, hash: await hashApiKey(key), prefix: key.slice(0, API_KEY_PREFIX.length + 8) };
}
