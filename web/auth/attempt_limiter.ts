/**
 * Counts events per key in a sliding window (failed logins per IP and per
 * username). Memory stays bounded: stale keys are swept as time passes.
 *
 * @example
 * ```ts
 * const limiter = new AttemptLimiter({ max: 10, windowMs: 300_000 });
 * if (limiter.isBlocked(`ip:${ip}`, now)) throw tooMany();
 * ```
 */
export class AttemptLimiter {
  readonly #max: number;
  readonly #windowMs: number;
  readonly #hits = new Map<string, number[]>();
  #lastSweep = 0;

  constructor(options: { max: number; windowMs: number }) {
    this.#max = options.max;
    this.#windowMs = options.windowMs;
  }

  /** Whether `key` has used up its attempts in the window ending at `now`. */
  isBlocked(key: string, now: number): boolean {
    return this.#recent(key, now).length >= this.#max;
  }

  /** Seconds until `key` may try again (0 when not blocked). */
  retryAfterSeconds(key: string, now: number): number {
    const recent = this.#recent(key, now);
    if (recent.length < this.#max) return 0;
    return Math.max(1, Math.ceil((recent[0] + this.#windowMs - now) / 1000));
  }

  /** Records one attempt for `key` at `now`. */
  record(key: string, now: number): void {
    this.#sweep(now);
    const recent = this.#recent(key, now);
    recent.push(now);
    this.#hits.set(key, recent);
  }

  /** Forgets `key` (e.g. after a successful login). */
  reset(key: string): void {
    this.#hits.delete(key);
  }

  #recent(key: string, now: number): number[] {
    return (this.#hits.get(key) ?? []).filter((t) => t > now - this.#windowMs);
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < this.#windowMs) return;
    this.#lastSweep = now;
    for (const [key, times] of this.#hits) {
      if (times.every((t) => t <= now - this.#windowMs)) this.#hits.delete(key);
    }
  }
}
