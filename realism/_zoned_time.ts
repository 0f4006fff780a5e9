// Folder-private time-zone arithmetic on top of Intl, with cached formatters
// (building an Intl.DateTimeFormat costs far more than using one).

const FORMATTERS = new Map<string, Intl.DateTimeFormat | null>();
const MINUTE_MS = 60_000;

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let f = FORMATTERS.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      f = null;
    }
    FORMATTERS.set(timeZone, f);
  }
  return f;
}

/** Whether Intl knows the IANA zone name. */
export function isValidTimeZone(timeZone: string): boolean {
  return formatterFor(timeZone) !== null;
}

/** Offset of local time from UTC in minutes at instant `ms` (unknown zone: 0). */
export function offsetMinutes(ms: number, timeZone: string): number {
  if (timeZone === "UTC") return 0;
  const f = formatterFor(timeZone);
  if (f === null) return 0;
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(ms)) {
    if (part.type !== "literal") p[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const truncated = Math.floor(ms / 1000) * 1000;
  return Math.round((asUtc - truncated) / MINUTE_MS);
}

/** The local wall-clock time at `ms`, as a Date whose UTC fields read as local. */
export function localWallClock(ms: number, timeZone: string): Date {
  return new Date(ms + offsetMinutes(ms, timeZone) * MINUTE_MS);
}

/** Local minute of the day (0-1439) at instant `ms`. */
export function localMinuteOfDay(ms: number, timeZone: string): number {
  const local = ms + offsetMinutes(ms, timeZone) * MINUTE_MS;
  return Math.floor((((local % 86_400_000) + 86_400_000) % 86_400_000) / MINUTE_MS);
}
