import { localMinuteOfDay, offsetMinutes } from "./_zoned_time.ts";
import { parseWorkWindow, windowContains } from "./work_window.ts";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Mean of the exponential backdate. */
const MEAN_BACKDATE_MS = 12 * HOUR_MS;

/** Options for {@linkcode sampleMtime}. */
export interface SampleMtimeOptions {
  /** The current instant. */
  now: Date;
  /** Uniform randomness in [0, 1). */
  rand: () => number;
  /** IANA zone the window is read in. @default "UTC" */
  timeZone?: string;
  /** Shortest backdate. @default 0.5 */
  backdateMinHours?: number;
  /** Longest backdate (before snapping into the window). @default 14 */
  backdateMaxDays?: number;
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

/**
 * Picks a past modification time whose local time of day lies in the
 * window: an exponential backdate (mean 12 h) clamped to [min, max]; when
 * that lands outside the window it snaps to a random moment inside the
 * window earlier the same day, then moves back whole days until it is at
 * least `backdateMinHours` in the past.
 *
 * @param window "HH:MM-HH:MM" active hours (malformed: any time of day)
 * @param options clock, randomness, zone and bounds
 * @returns a Date strictly before `now`
 * @example
 * ```ts
 * const mtime = sampleMtime("09:00-17:00", { now: new Date(), rand: Math.random });
 * ```
 */
export function sampleMtime(window: string, options: SampleMtimeOptions): Date {
  const { now, rand } = options;
  const timeZone = options.timeZone ?? "UTC";
  const nowMs = now.getTime();
  const minMs = Math.max(0, (options.backdateMinHours ?? 0.5) * HOUR_MS);
  const maxMs = Math.max(minMs, (options.backdateMaxDays ?? 14) * DAY_MS);
  const backdate = Math.min(maxMs, Math.max(minMs, -Math.log(1 - rand()) * MEAN_BACKDATE_MS));
  // Whole seconds: file systems and `touch -d` show them, milliseconds are noise.
  let t = Math.floor((nowMs - Math.max(backdate, 1000)) / 1000) * 1000;
  const parsed = parseWorkWindow(window);
  if (parsed === null || windowContains(parsed, localMinuteOfDay(t, timeZone))) {
    return new Date(t);
  }
  const length = mod(parsed.end - parsed.start, 1440);
  const targetMs = Math.floor((parsed.start * MINUTE_MS + rand() * length * MINUTE_MS) / 1000) *
    1000;
  const off = offsetMinutes(t, timeZone);
  const localMsOfDay = mod(t + off * MINUTE_MS, DAY_MS);
  t -= mod(localMsOfDay - mod(targetMs, DAY_MS), DAY_MS);
  t = keepLocalTime(t, off, timeZone);
  while (nowMs - t < Math.max(minMs, 1000)) {
    const before = offsetMinutes(t, timeZone);
    t = keepLocalTime(t - DAY_MS, before, timeZone);
  }
  return new Date(t);
}

/** Shifts `t` so its local time matches what it was under `expectedOffset` (DST changes). */
function keepLocalTime(t: number, expectedOffset: number, timeZone: string): number {
  const actual = offsetMinutes(t, timeZone);
  if (actual === expectedOffset) return t;
  const shifted = t - (actual - expectedOffset) * MINUTE_MS;
  // If the shifted instant falls in a DST gap, keep the unshifted one.
  return offsetMinutes(shifted, timeZone) === actual ? shifted : t;
}
