/** Settings of a {@linkcode RateLimiter}. */
export interface RateLimiterConfig {
  /** Sustained events per second allowed per key. @default 200 */
  ratePerSecond?: number;
  /** Events allowed in one burst. @default 400 */
  burst?: number;
  /** Keys tracked at once; the least recently seen is forgotten first. @default 65536 */
  maxKeys?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per key (per source address), with the clock passed in so
 * tests are deterministic and memory bounded by `maxKeys`.
 *
 * @example
 * ```ts
 * import { RateLimiter } from "./rate_limiter.ts";
 * const limiter = new RateLimiter({ ratePerSecond: 100, burst: 200 });
 * const drop = !limiter.allow("192.0.2.7", Date.now());
 * ```
 */
export class RateLimiter {
  readonly #rate: number;
  readonly #burst: number;
  readonly #maxKeys: number;
  readonly #buckets = new Map<string, Bucket>();

  constructor(config: RateLimiterConfig = {}) {
    this.#rate = config.ratePerSecond ?? 200;
    this.#burst = config.burst ?? 400;
    this.#maxKeys = config.maxKeys ?? 65536;
    if (!(this.#rate > 0) || !(this.#burst >= 1)) {
      throw new RangeError(
        `Cannot create rate limiter: expected a positive rate and burst, got ${this.#rate}/${this.#burst}`,
      );
    }
  }

  /** Takes one token for `key` at time `nowMs`; false when the key is over its rate. */
  allow(key: string, nowMs: number): boolean {
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      if (this.#buckets.size >= this.#maxKeys) {
        this.#buckets.delete(this.#buckets.keys().next().value!);
      }
      bucket = { tokens: this.#burst, at: nowMs };
    } else {
      // Re-insert so Map order stays least-recently-seen first.
      this.#buckets.delete(key);
      const elapsed = Math.max(0, nowMs - bucket.at) / 1000;
      bucket.tokens = Math.min(this.#burst, bucket.tokens + elapsed * this.#rate);
      bucket.at = nowMs;
    }
    this.#buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Number of keys tracked. */
  get size(): number {
    return this.#buckets.size;
  }
}
