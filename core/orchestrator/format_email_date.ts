import { isValidTimeZone, offsetMinutes } from "../../realism/mod.ts";

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * An RFC 5322 date-time in the given IANA zone, with its numeric offset
 * (seconds kept, milliseconds dropped).
 *
 * @param date the instant
 * @param timeZone IANA zone such as "Europe/Berlin"
 * @returns e.g. "Wed, 18 Nov 2026 15:00:00 +0100"
 * @throws {RangeError} when the zone is unknown
 * @example
 * ```ts
 * formatEmailDate(new Date("2026-11-18T14:00:00Z"), "Europe/Berlin"); // "Wed, 18 Nov 2026 15:00:00 +0100"
 * ```
 */
export function formatEmailDate(date: Date, timeZone: string): string {
  if (!isValidTimeZone(timeZone)) {
    throw new RangeError(`Cannot format an e-mail date: unknown time zone "${timeZone}"`);
  }
  const offset = offsetMinutes(date.getTime(), timeZone);
  const local = new Date(Math.floor(date.getTime() / 1000) * 1000 + offset * 60_000);
  const pad = (n: number) => String(n).padStart(2, "0");
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return `${DAYS[local.getUTCDay()]}, ${pad(local.getUTCDate())} ${
    MONTHS[local.getUTCMonth()]
  } ${local.getUTCFullYear()} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${
    pad(local.getUTCSeconds())
  } ${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}
