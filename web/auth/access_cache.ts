/** How long a granted credential is believed without asking the database again. */
export const DEFAULT_ACCESS_CACHE_TTL_MS = 2000;

/** Most credentials remembered at once (the oldest is forgotten first). */
export const DEFAULT_ACCESS_CACHE_MAX_ENTRIES = 1000;

/** Options for {@linkcode AccessCache}. */
export interface AccessCacheOptions {
  /** @default DEFAULT_ACCESS_CACHE_TTL_MS */
  ttlMs?: number;
  /** @default DEFAULT_ACCESS_CACHE_MAX_ENTRIES */
  maxEntries?: number;
}

/**
 * Remembers, for a few seconds, what the auth guard granted a credential
 * (bearer token or API key), so a busy client costs one signature check and
 * two database reads per TTL instead of per request. Only granted
 * credentials are stored, and at most `maxEntries` of them: forged tokens
 * never get in, and a flood of valid ones forgets the oldest. A change made
 * in this process clears it at once ({@linkcode clear}, {@linkcode delete});
 * one made elsewhere is seen when the entry's TTL runs out. Pure: the
 * caller passes the time.
 *
 * @example
 * ```ts
 * import { AccessCache } from "./access_cache.ts";
 * const cache = new AccessCache<string>({ ttlMs: 2000, maxEntries: 100 });
 * cache.set("token", "alice", { now: 0, notAfter: 60_000 });
 * cache.get("token", 1000); // "alice"
 * cache.get("token", 2000); // undefined: the TTL ran out
 * ```
 */
export class AccessCache<V> {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(options: AccessCacheOptions = {}) {
    this.#ttlMs = options.ttlMs ?? DEFAULT_ACCESS_CACHE_TTL_MS;
    this.#maxEntries = options.maxEntries ?? DEFAULT_ACCESS_CACHE_MAX_ENTRIES;
    if (!Number.isInteger(this.#maxEntries) || this.#maxEntries < 1) {
      throw new RangeError(
        `Cannot create access cache: expected maxEntries to be a whole number >= 1, got "${this.#maxEntries}"`,
      );
    }
  }

  /** Credentials remembered now (expired ones included until they are next asked for). */
  get size(): number {
    return this.#entries.size;
  }

  /** What was granted to `key`, unless its TTL or the credential itself has run out by `now` (ms). */
  get(key: string, now: number): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /**
   * Remembers a grant from `now` for the TTL, never past `notAfter` (the
   * credential's own expiry, ms), forgetting the oldest entry when full.
   */
  set(key: string, value: V, times: { now: number; notAfter: number }): void {
    const expiresAt = Math.min(times.now + this.#ttlMs, times.notAfter);
    if (expiresAt <= times.now) return;
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
    this.#entries.set(key, { value, expiresAt });
  }

  /** Forgets one credential (a logout). */
  delete(key: string): void {
    this.#entries.delete(key);
  }

  /** Forgets every credential (an account or key changed: rare, so no finer bookkeeping). */
  clear(): void {
    this.#entries.clear();
  }
}
