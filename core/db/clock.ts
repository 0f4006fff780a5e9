/** Returns the current time; repositories take one so tests can pin it. */
export type Clock = () => Date;

/** The wall clock. */
export const systemClock: Clock = () => new Date();

/** ISO 8601 UTC with milliseconds: the one time format stored. */
export function isoTime(date: Date): string {
  return date.toISOString();
}
