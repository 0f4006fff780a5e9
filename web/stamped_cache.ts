/** Answers a {@linkcode StampedCache} keeps by default. */
export const DEFAULT_STAMPED_CACHE_ENTRIES = 64;

/**
 * Keeps answers computed from the database (encoded list responses) with
 * the change stamp read before computing them (see `readChangeStamp`): an
 * answer is given again only while the stamp is the same, so it is never
 * stale. Bounded: the oldest answer is forgotten first.
 *
 * @example
 * ```ts
 * import { StampedCache } from "./stamped_cache.ts";
 * const cache = new StampedCache<string>({ maxEntries: 8 });
 * cache.set("limit=50", "7:12", '{"items":[],"total":0}');
 * cache.get("limit=50", "7:12"); // the body
 * cache.get("limit=50", "8:12"); // undefined: the data changed since
 * ```
 */
export class StampedCache<V> {
  readonly #maxEntries: number;
  readonly #entries = new Map<string, { stamp: string; value: V }>();

  constructor(options: { maxEntries?: number } = {}) {
    this.#maxEntries = options.maxEntries ?? DEFAULT_STAMPED_CACHE_ENTRIES;
    if (!Number.isInteger(this.#maxEntries) || this.#maxEntries < 1) {
      throw new RangeError(
        `Cannot create stamped cache: expected maxEntries to be a whole number >= 1, got "${this.#maxEntries}"`,
      );
    }
  }

  /** Answers kept now. */
  get size(): number {
    return this.#entries.size;
  }

  /** The answer for `key` if it was computed at `stamp`. */
  get(key: string, stamp: string): V | undefined {
    const entry = this.#entries.get(key);
    return entry?.stamp === stamp ? entry.value : undefined;
  }

  /** Keeps the answer for `key` computed at `stamp`, forgetting the oldest when full. */
  set(key: string, stamp: string, value: V): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
    this.#entries.set(key, { stamp, value });
  }
}
