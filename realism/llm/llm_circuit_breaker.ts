/** Breaker states: closed (calls flow), open (calls refused), half_open (one trial allowed). */
export type BreakerState = "closed" | "open" | "half_open";

/** Options for {@linkcode LLMCircuitBreaker}. */
export interface LLMCircuitBreakerOptions {
  /** Consecutive failures that open the breaker. @default 3 */
  failureThreshold?: number;
  /** How long it stays open before a trial call. @default 60000 */
  openMs?: number;
  /** Clock in epoch ms (tests inject one). @default Date.now */
  now?: () => number;
}

/** The breaker's state for health reports (snake_case, as on the wire). */
export interface BreakerHealth {
  state: BreakerState;
  consecutive_failures: number;
  opened_at: string | null;
}

/**
 * Stops calling an LLM that keeps failing: 3 consecutive failures open it;
 * after 60 s it half-opens and lets a trial through; a success closes it, a
 * failure opens it again.
 *
 * @example
 * ```ts
 * import type { LLMBackend } from "./base.ts";
 * import { LLMCircuitBreaker } from "./llm_circuit_breaker.ts";
 * declare const llm: LLMBackend;
 * const breaker = new LLMCircuitBreaker();
 * if (breaker.allow()) {
 *   const r = await llm.generate("Write a short todo list.", { timeoutMs: 20_000 });
 *   r.ok ? breaker.recordSuccess() : breaker.recordFailure();
 * }
 * ```
 */
export class LLMCircuitBreaker {
  readonly #threshold: number;
  readonly #openMs: number;
  readonly #now: () => number;
  #failures = 0;
  #openedAt: number | null = null;
  #trialInFlight = false;

  constructor(options: LLMCircuitBreakerOptions = {}) {
    this.#threshold = options.failureThreshold ?? 3;
    this.#openMs = options.openMs ?? 60_000;
    this.#now = options.now ?? Date.now;
  }

  /** The current state (open turns half_open once the wait is over). */
  get state(): BreakerState {
    if (this.#openedAt === null) return "closed";
    return this.#now() - this.#openedAt >= this.#openMs ? "half_open" : "open";
  }

  /** Whether a call may go out now; in half_open only one trial at a time. */
  allow(): boolean {
    const state = this.state;
    if (state === "closed") return true;
    if (state === "open" || this.#trialInFlight) return false;
    this.#trialInFlight = true;
    return true;
  }

  /** A call succeeded: closes the breaker. */
  recordSuccess(): void {
    this.#failures = 0;
    this.#openedAt = null;
    this.#trialInFlight = false;
  }

  /** A call failed: counts towards opening, or re-opens after a failed trial. */
  recordFailure(): void {
    this.#failures++;
    const wasTrial = this.#openedAt !== null;
    this.#trialInFlight = false;
    if (wasTrial || this.#failures >= this.#threshold) this.#openedAt = this.#now();
  }

  /** State for `system.<worker>.health`. */
  health(): BreakerHealth {
    return {
      state: this.state,
      consecutive_failures: this.#failures,
      opened_at: this.#openedAt === null ? null : new Date(this.#openedAt).toISOString(),
    };
  }
}
