/** What a campaign id may be (made here, or stored by an earlier version): 1-40 of `[A-Za-z0-9_-]`. */
export const CAMPAIGN_ID_REGEXP = /^[A-Za-z0-9_-]{1,40}$/;

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
// 36^8 (2.8e12) per millisecond: two ids made in one millisecond almost never meet.
const RANDOM_CHARS = 8;

/**
 * A fresh campaign id: `c`, the time in base 36 (9 digits, so ids sort in
 * the order they were made: an older campaign wins a merge), then 8 random
 * base-36 characters so that two made in one millisecond (by the
 * clusterer, or an admin's split) differ; the clusterer also skips an id
 * already taken. Pure: clock and randomness are arguments.
 *
 * @example
 * ```ts
 * newCampaignId(new Date("2026-12-01T12:00:00Z"), () => 0); // "c0mx4na80000000000"
 * ```
 */
export function newCampaignId(now: Date, random: () => number): string {
  let suffix = "";
  for (let i = 0; i < RANDOM_CHARS; i++) suffix += ALPHABET[Math.floor(random() * 36) % 36];
  return `c${now.getTime().toString(36).padStart(9, "0")}${suffix}`;
}
