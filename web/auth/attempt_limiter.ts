interface KeyState {
  /** Times of recorded failures, oldest first. */
  failures: number[];
  /** Attempts started and not yet settled. */
  pending: number;
}

/**
 * Counts attempts per key in a sliding window: recorded failures plus the
 * attempts still in flight, so concurrent requests cannot all slip past a
 * limit before the first of them fails. Memory stays bounded: stale keys are
 * swept as time passes.
 *
 * @example
 * ```ts
 * import { AttemptLimiter } from "./attempt_limiter.ts";
 * import { HttpError } from "../http_error.ts";
 * const ip = "192.0.2.7";
 * const now = Date.now();
 * const limiter = new AttemptLimiter({ max: 10, windowMs: 300_000 });
 * if (limiter.retryAfterSeconds(`ip:${ip}`, now) > 0) throw new HttpError(429, "too_many", "Slow down");
 * limiter.begin(`ip:${ip}`);
 * limiter.settle(`ip:${ip}`, { failed: true, now });
 * ```
 */
export class AttemptLimiter {
  readonly #max: number;
  readonly #windowMs: number;
  readonly #keys = new Map<string, KeyState>();
  #lastSweep = 0;

  constructor(options: { max: number; windowMs: number }) {
    this.#max = options.max;
    this.#windowMs = options.windowMs;
  }

  /** Recent failures plus in-flight attempts of `key` at `now`. */
  count(key: string, now: number): number {
    const state = this.#keys.get(key);
    if (!state) return 0;
    return this.#recent(state, now).length + state.pending;
  }

  /** Seconds until `key` may try again (0 while under the limit). */
  retryAfterSeconds(key: string, now: number): number {
    const state = this.#keys.get(key);
    if (!state) return 0;
    const recent = this.#recent(state, now);
    const excess = recent.length + state.pending - this.#max;
    if (excess < 0) return 0;
    // Failures leave the window oldest first; in-flight attempts settle within seconds.
    const freedAt = excess < recent.length ? recent[excess] + this.#windowMs : now;
    return Math.max(1, Math.ceil((freedAt - now) / 1000));
  }

  /** Counts one attempt of `key` as in flight until {@linkcode settle}. */
  begin(key: string): void {
    const state = this.#keys.get(key) ?? { failures: [], pending: 0 };
    state.pending++;
    this.#keys.set(key, state);
  }

  /** Ends an attempt started with {@linkcode begin}; a failure stays counted for the window. */
  settle(key: string, outcome: { failed: boolean; now: number }): void {
    this.#sweep(outcome.now);
    const state = this.#keys.get(key) ?? { failures: [], pending: 1 };
    state.pending = Math.max(0, state.pending - 1);
    if (outcome.failed) state.failures = [...this.#recent(state, outcome.now), outcome.now];
    this.#keys.set(key, state);
  }

  /** Forgets the failures of `key` (e.g. after a successful login); in-flight attempts stay. */
  reset(key: string): void {
    const state = this.#keys.get(key);
    if (!state) return;
    if (state.pending === 0) this.#keys.delete(key);
    else state.failures = [];
  }

  #recent(state: KeyState, now: number): number[] {
    return state.failures.filter((t) => t > now - this.#windowMs);
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < this.#windowMs) return;
    this.#lastSweep = now;
    for (const [key, state] of this.#keys) {
      if (state.pending === 0 && this.#recent(state, now).length === 0) this.#keys.delete(key);
    }
  }
}
