/**
 * A zone serial in the common YYYYMMDDnn form, as an operator who edits the
 * zone about once a month would have it: the date is this month's
 * zone-specific day (last month's until that day comes), the revision a
 * zone-specific 01-03. The same zone gives the same serial across restarts,
 * it only ever grows, and no two deployments share one fixed constant.
 *
 * @param zone the zone apex, e.g. "t.example.net"
 * @param now the current time (passed in: pure)
 * @returns the serial, e.g. 2026111402
 * @example
 * ```ts
 * soaSerial("t.example.net", new Date("2026-12-01T09:00:00Z")); // a date in November or December 2026
 * ```
 */
export function soaSerial(zone: string, now: Date): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < zone.length; i++) {
    hash = Math.imul(hash ^ zone.toLowerCase().charCodeAt(i), 0x01000193) >>> 0;
  }
  const day = 1 + (hash % 28);
  const revision = 1 + ((hash >>> 8) % 3);
  let year = now.getUTCFullYear();
  let month = now.getUTCMonth() + 1;
  if (now.getUTCDate() < day) {
    month -= 1;
    if (month === 0) {
      month = 12;
      year -= 1;
    }
  }
  return year * 1_000_000 + month * 10_000 + day * 100 + revision;
}
