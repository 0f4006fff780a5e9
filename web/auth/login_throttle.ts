import { isIP } from "node:net";
import { AttemptLimiter } from "./attempt_limiter.ts";

/** First delay once a username has used up its failures; doubles with each further one. */
const BASE_DELAY_MS = 250;

/** Settings of {@linkcode LoginThrottle}. */
export interface LoginThrottleConfig {
  /** Failures (in-flight attempts included) per address, and per username and address. */
  maxFailures: number;
  windowMs: number;
  /** Longest delay a username under attack adds to each attempt. @default 5000 */
  maxDelayMs?: number;
  /** Waits `ms`; tests pass a recorder. @default a timer */
  sleep?: (ms: number) => Promise<void>;
}

/** A login attempt let through: wait, check the password, then settle it once. */
export interface LoginAdmission {
  /** Waits the delay the username's recent failures call for (0 when none). */
  wait(): Promise<void>;
  settle(outcome: { ok: boolean; now: number }): void;
}

/** An attempt refused before any work: the address is over its limit. */
export interface LoginRefusal {
  retryAfterSeconds: number;
}

/**
 * The login limits, counted when an attempt starts (in-flight attempts
 * included, so parallel guesses cannot outrun the count):
 * - failures per address: over the limit, that address is refused (429);
 *   a successful login from it clears the count;
 * - failures per username and address: the same, for one account from one
 *   place, cleared only by that account's own success;
 * - failures per username: never a refusal (else anyone could lock the
 *   admin out), but each attempt on that name waits a delay that doubles
 *   with every failure beyond the limit, up to `maxDelayMs`.
 * So the right password from an address with no recent failures always
 * gets in. IPv6 addresses count per /64 (one host usually holds a whole /64).
 *
 * @example
 * ```ts
 * import { LoginThrottle } from "./login_throttle.ts";
 * import { HttpError } from "../http_error.ts";
 * declare function checkPassword(): Promise<boolean>;
 * const throttle = new LoginThrottle({ maxFailures: 10, windowMs: 300_000 });
 * const admission = throttle.admit("192.0.2.7", "admin", Date.now());
 * if ("retryAfterSeconds" in admission) throw new HttpError(429, "too_many", "Slow down");
 * await admission.wait();
 * admission.settle({ ok: await checkPassword(), now: Date.now() });
 * ```
 */
export class LoginThrottle {
  readonly #limiter: AttemptLimiter;
  readonly #max: number;
  readonly #maxDelayMs: number;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(config: LoginThrottleConfig) {
    this.#limiter = new AttemptLimiter({ max: config.maxFailures, windowMs: config.windowMs });
    this.#max = config.maxFailures;
    this.#maxDelayMs = config.maxDelayMs ?? 5_000;
    this.#sleep = config.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Starts an attempt of `username` from `ip` at `now`, or refuses it. */
  admit(ip: string, username: string, now: number): LoginAdmission | LoginRefusal {
    const address = addressKey(ip);
    const name = username.toLowerCase();
    const keys = { address: `a:${address}`, pair: `p:${name}\n${address}`, name: `u:${name}` };
    const retryAfterSeconds = Math.max(
      this.#limiter.retryAfterSeconds(keys.address, now),
      this.#limiter.retryAfterSeconds(keys.pair, now),
    );
    if (retryAfterSeconds > 0) return { retryAfterSeconds };
    const delayMs = this.delayMs(this.#limiter.count(keys.name, now));
    for (const key of Object.values(keys)) this.#limiter.begin(key);
    let settled = false;
    return {
      wait: () => delayMs > 0 ? this.#sleep(delayMs) : Promise.resolve(),
      settle: ({ ok, now }) => {
        if (settled) return;
        settled = true;
        for (const key of Object.values(keys)) this.#limiter.settle(key, { failed: !ok, now });
        // Success forgives the address (a shared NAT's typos) and this account
        // from it, not other accounts' counts: one valid login cannot buy more
        // guesses at another account from the same address.
        if (ok) { for (const key of [keys.address, keys.pair]) this.#limiter.reset(key); }
      },
    };
  }

  /** The delay an attempt waits when its username has `failures` recent failures. */
  delayMs(failures: number): number {
    if (failures < this.#max) return 0;
    return Math.min(this.#maxDelayMs, BASE_DELAY_MS * 2 ** Math.min(failures - this.#max, 20));
  }
}

/** The address an attempt counts against: IPv4 as is, IPv6 by its /64. */
function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (isIP(ip) !== 6) return ip;
  const [head, tail = ""] = ip.toLowerCase().split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === "" ? [] : tail.split(":");
  const groups = ip.includes("::")
    ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right]
    : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}
