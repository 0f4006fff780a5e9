import type { ActiveToken } from "./trigger_sink.ts";

/** Settings of a {@linkcode TokenCache}. */
export interface TokenCacheConfig {
  /** How long an answer (found or not) is reused. @default 2000 */
  ttlMs?: number;
  /** Entries kept; the oldest is dropped first. @default 10000 */
  maxEntries?: number;
}

/**
 * Remembers slug lookups, found and not found, for a couple of seconds so a
 * burst of callbacks (or of junk) costs one database query. A token issued
 * or revoked is seen at most `ttlMs` late. The clock is passed in.
 *
 * @example
 * ```ts
 * import type { TriggerSink } from "./trigger_sink.ts";
 * import { TokenCache } from "./token_cache.ts";
 * declare const sink: TriggerSink;
 * const cache = new TokenCache({ ttlMs: 2000 });
 * const token = await cache.lookup("k3x9q2", Date.now(), (s) => sink.findActiveBySlug(s));
 * ```
 */
export class TokenCache {
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #entries = new Map<string, { token: ActiveToken | null; until: number }>();

  constructor(config: TokenCacheConfig = {}) {
    this.#ttlMs = config.ttlMs ?? 2000;
    this.#max = config.maxEntries ?? 10_000;
  }

  /** The cached answer: a token, null (known not to exist), or undefined (ask the database). */
  get(key: string, nowMs: number): ActiveToken | null | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.until <= nowMs) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.token;
  }

  /** Stores an answer. */
  set(key: string, token: ActiveToken | null, nowMs: number): void {
    if (this.#ttlMs <= 0) return;
    this.#entries.delete(key);
    if (this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, { token, until: nowMs + this.#ttlMs });
  }

  /** The cached answer, or `fetch`'s (then cached). Errors are not cached. */
  async lookup(
    key: string,
    nowMs: number,
    fetch: (key: string) => Promise<ActiveToken | null>,
  ): Promise<ActiveToken | null> {
    const cached = this.get(key, nowMs);
    if (cached !== undefined) return cached;
    const token = await fetch(key);
    this.set(key, token, nowMs);
    return token;
  }
}
