/** Options for {@linkcode restartDelayMs}. */
export interface RestartBackoffOptions {
  /** First delay. @default 1000 */
  baseMs?: number;
  /** Cap. @default 60000 */
  maxMs?: number;
}

/**
 * Delay before the `attempt`-th consecutive restart (1-based): base, 2x,
 * 4x, ... capped, with up to 20% jitter from `random` so crashed workers do
 * not restart in lockstep.
 *
 * @example
 * ```ts
 * restartDelayMs(3, () => 0); // 4000
 * ```
 */
export function restartDelayMs(
  attempt: number,
  random: () => number,
  options: RestartBackoffOptions = {},
): number {
  const base = options.baseMs ?? 1000;
  const max = options.maxMs ?? 60_000;
  const raw = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(Math.min(max, raw * (1 + 0.2 * random())));
}
