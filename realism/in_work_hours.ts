import { localMinuteOfDay } from "./_zoned_time.ts";
import { parseWorkWindow, windowContains } from "./work_window.ts";

/** Options for {@linkcode inWorkHours}. */
export interface InWorkHoursOptions {
  /** IANA zone the window is read in. @default "UTC" */
  timeZone?: string;
}

/**
 * Whether `now` falls inside an active-hours window, read in a time zone.
 * Wrap-around windows ("22:00-06:00") work; a malformed window or one whose
 * start equals its end means always (fail open).
 *
 * @param window "HH:MM-HH:MM"
 * @param now the instant to test
 * @returns true when inside the window
 * @example
 * ```ts
 * inWorkHours("09:00-17:00", new Date("2026-03-02T10:00:00Z")); // true
 * inWorkHours("09:00-17:00", new Date("2026-03-02T10:00:00Z"), { timeZone: "America/New_York" }); // false
 * ```
 */
export function inWorkHours(window: string, now: Date, options: InWorkHoursOptions = {}): boolean {
  const parsed = parseWorkWindow(window);
  if (parsed === null) return true;
  return windowContains(parsed, localMinuteOfDay(now.getTime(), options.timeZone ?? "UTC"));
}
