import { ipv4Number } from "./_ipv4.ts";

/** Settings of {@linkcode ProbePolicy}. */
export interface ProbePolicyConfig {
  /** IPv4 CIDR blocks (or bare addresses) that may be probed; empty: none. IPv6 entries match nothing. */
  allow: readonly string[];
  /** Probes per minute, all sources together. */
  ratePerMinute: number;
  /** Least time between two probes of one source. @default 3600000 (an hour) */
  perSourceMs?: number;
  /** Sources remembered for the per-source limit (oldest forgotten first). @default 65536 */
  maxSources?: number;
}

/** What the policy says about a source now. */
export type ProbeDecision = "probe" | "not_allowed" | "source_limited" | "rate_limited";

/**
 * Who the active prober may probe, and when: only addresses inside the
 * operator's allow list (DECNET_PROBER_ALLOW; empty allows none), each at
 * most once per `perSourceMs`, and at most `ratePerMinute` probes
 * altogether (a token bucket: a burst of up to one minute's worth). Pure:
 * the caller passes the time.
 *
 * @example
 * ```ts
 * const policy = new ProbePolicy({ allow: ["198.51.100.0/24"], ratePerMinute: 6 });
 * policy.decide("198.51.100.7", Date.now()); // "probe"
 * policy.decide("198.51.100.7", Date.now()); // "source_limited"
 * policy.decide("203.0.113.5", Date.now()); // "not_allowed"
 * ```
 */
export class ProbePolicy {
  readonly #blocks: { mask: number; base: number }[];
  readonly #ratePerMs: number;
  readonly #burst: number;
  readonly #perSourceMs: number;
  readonly #maxSources: number;
  /** Source -> when it was last probed; insertion order is age order. */
  readonly #probed = new Map<string, number>();
  #tokens: number;
  #tokensAt: number | null = null;

  constructor(config: ProbePolicyConfig) {
    this.#blocks = config.allow.flatMap((cidr) => {
      const [ip, prefix] = cidr.split("/");
      const address = ipv4Number(ip);
      const bits = prefix === undefined ? 32 : Number(prefix);
      if (address === null || !Number.isInteger(bits) || bits < 0 || bits > 32) return [];
      const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
      return [{ mask, base: (address & mask) >>> 0 }];
    });
    if (!(config.ratePerMinute > 0)) {
      throw new RangeError(
        `Cannot limit probes: expected a rate above 0, got ${config.ratePerMinute}`,
      );
    }
    this.#ratePerMs = config.ratePerMinute / 60_000;
    this.#burst = Math.max(1, config.ratePerMinute);
    this.#tokens = this.#burst;
    this.#perSourceMs = config.perSourceMs ?? 3_600_000;
    this.#maxSources = config.maxSources ?? 65_536;
  }

  /** Whether `ip` is inside the allow list (IPv4 only). */
  allows(ip: string): boolean {
    const address = ipv4Number(ip);
    return address !== null && this.#blocks.some((b) => ((address & b.mask) >>> 0) === b.base);
  }

  /** Decides about probing `ip` at `nowMs`; a "probe" answer takes its budget. */
  decide(ip: string, nowMs: number): ProbeDecision {
    if (!this.allows(ip)) return "not_allowed";
    const last = this.#probed.get(ip);
    if (last !== undefined && nowMs - last < this.#perSourceMs) return "source_limited";
    if (this.#tokensAt !== null) {
      this.#tokens = Math.min(
        this.#burst,
        this.#tokens + Math.max(0, nowMs - this.#tokensAt) * this.#ratePerMs,
      );
    }
    this.#tokensAt = nowMs;
    if (this.#tokens < 1) return "rate_limited";
    this.#tokens -= 1;
    this.#probed.delete(ip);
    this.#probed.set(ip, nowMs);
    if (this.#probed.size > this.#maxSources) {
      this.#probed.delete(this.#probed.keys().next().value!);
    }
    return "probe";
  }
}
