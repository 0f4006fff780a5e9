/** Every how many ticks old events and emails are pruned. */
export const PRUNE_EVERY_TICKS = 100;
/** Every how many ticks the stored realism settings are read again. */
export const RELOAD_SETTINGS_EVERY_TICKS = 5;
/** Events kept per destination decky. */
export const EVENTS_KEPT_PER_DECKY = 10_000;
/** Emails kept per mail decky. */
export const EMAILS_KEPT_PER_DECKY = 5_000;

/** Housekeeping a tick does besides its action. */
export interface TickDuties {
  /** Read the realism settings again before acting. */
  reloadSettings: boolean;
  /** Prune events and emails after acting. */
  prune: boolean;
}

/**
 * What tick number `tick` (1 for the first) does besides its action: the
 * settings are read on the first tick and every 5th after; pruning runs
 * every 100th tick.
 *
 * @example
 * ```ts
 * tickDuties(100); // { reloadSettings: true, prune: true }
 * ```
 */
export function tickDuties(tick: number): TickDuties {
  return {
    reloadSettings: tick === 1 || tick % RELOAD_SETTINGS_EVERY_TICKS === 0,
    prune: tick > 0 && tick % PRUNE_EVERY_TICKS === 0,
  };
}
