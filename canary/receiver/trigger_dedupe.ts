/** Settings of a {@linkcode TriggerDedupe}. */
export interface TriggerDedupeConfig {
  /** Window in seconds; 0 records every event. */
  windowSeconds: number;
  /** Keys remembered at once; the oldest is forgotten first. @default 100000 */
  maxKeys?: number;
}

/**
 * Remembers which (token, resolver, name) were recorded recently, because
 * resolvers retry and fan out: one DNS trigger per key within the window.
 * The clock is passed in.
 *
 * @example
 * ```ts
 * import type { TriggerInput } from "../../core/db/repositories/canary_repository.ts";
 * import type { TriggerSink } from "./trigger_sink.ts";
 * import { TriggerDedupe } from "./trigger_dedupe.ts";
 * declare const sink: TriggerSink;
 * declare const t: TriggerInput;
 * const dedupe = new TriggerDedupe({ windowSeconds: 60 });
 * const key = `${t.tokenUuid}|${t.srcIp}|${t.dnsQname?.toLowerCase()}`;
 * if (dedupe.shouldRecord(key, Date.now())) await sink.recordTrigger(t);
 * ```
 */
export class TriggerDedupe {
  readonly #windowMs: number;
  readonly #maxKeys: number;
  /** key -> expiry (ms); insertion order is expiry order since the window is fixed. */
  readonly #seen = new Map<string, number>();
  /** Expiry of the oldest key (Infinity when none): nothing expires before it. */
  #oldest = Infinity;

  constructor(config: TriggerDedupeConfig) {
    this.#windowMs = config.windowSeconds * 1000;
    this.#maxKeys = config.maxKeys ?? 100_000;
  }

  /** True the first time a key is seen within the window (and remembers it). */
  shouldRecord(key: string, nowMs: number): boolean {
    if (this.#windowMs <= 0) return true;
    // Checked first: walking the map takes an iterator, which a repeat then need not make.
    if (this.#oldest <= nowMs) this.#expire(nowMs);
    const until = this.#seen.get(key);
    if (until !== undefined && until > nowMs) return false;
    this.#seen.delete(key);
    if (this.#seen.size >= this.#maxKeys) this.#seen.delete(this.#seen.keys().next().value!);
    this.#seen.set(key, nowMs + this.#windowMs);
    if (this.#seen.size === 1) this.#oldest = nowMs + this.#windowMs;
    return true;
  }

  /** Number of keys remembered. */
  get size(): number {
    return this.#seen.size;
  }

  #expire(nowMs: number): void {
    this.#oldest = Infinity;
    for (const [key, until] of this.#seen) {
      if (until > nowMs) {
        this.#oldest = until;
        break;
      }
      this.#seen.delete(key);
    }
  }
}
