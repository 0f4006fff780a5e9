/** A parsed "HH:MM-HH:MM" window in minutes of the day; `end < start` wraps past midnight. */
export interface WorkWindow {
  readonly start: number;
  readonly end: number;
}

const WINDOW_REGEXP = /^\s*([01]?\d|2[0-3]):([0-5]\d)\s*-\s*([01]?\d|2[0-3]):([0-5]\d)\s*$/;
const CACHE = new Map<string, WorkWindow | null>();

/**
 * Parses an active-hours window such as "09:00-17:30" or "22:00-06:00".
 *
 * @param window "HH:MM-HH:MM" in 24-hour time
 * @returns the window, or null when it is malformed or start equals end
 *   (callers treat null as "always": a typo never silences the fleet)
 */
export function parseWorkWindow(window: string): WorkWindow | null {
  const cached = CACHE.get(window);
  if (cached !== undefined) return cached;
  const m = WINDOW_REGEXP.exec(window);
  let parsed: WorkWindow | null = null;
  if (m) {
    const start = Number(m[1]) * 60 + Number(m[2]);
    const end = Number(m[3]) * 60 + Number(m[4]);
    if (start !== end) parsed = Object.freeze({ start, end });
  }
  if (CACHE.size > 10_000) CACHE.clear();
  CACHE.set(window, parsed);
  return parsed;
}

/** Whether a window string is well formed (for validating personas). */
export function isWellFormedWindow(window: string): boolean {
  return parseWorkWindow(window) !== null;
}

/** Whether a minute of the day (0-1439) lies in the window; null means always. */
export function windowContains(window: WorkWindow | null, minuteOfDay: number): boolean {
  if (window === null) return true;
  if (window.start < window.end) return minuteOfDay >= window.start && minuteOfDay < window.end;
  return minuteOfDay >= window.start || minuteOfDay < window.end;
}
