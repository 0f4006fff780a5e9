/** Initial TTLs real stacks start from, ascending. */
const INITIAL_TTLS = [32, 64, 128, 255] as const;
/** Farther than this is not a believable path; the TTL was more likely crafted. */
export const MAX_HOP_DISTANCE = 64;

/**
 * The initial TTL a packet most likely left its sender with: the next of
 * 32/64/128/255 at or above the TTL seen.
 *
 * @param ttl the TTL (or hop limit) seen on the wire, 0-255
 * @returns 32, 64, 128 or 255
 * @example
 * ```ts
 * initialTtl(57); // 64
 * ```
 */
export function initialTtl(ttl: number): number {
  return INITIAL_TTLS.find((start) => ttl <= start) ?? 255;
}

/**
 * Hops between sender and sensor: initial TTL minus TTL seen, clamped to 0-64.
 *
 * @param ttl the TTL seen on the wire
 * @returns 0-64
 * @example
 * ```ts
 * hopDistance(120); // 8
 * ```
 */
export function hopDistance(ttl: number): number {
  return Math.min(MAX_HOP_DISTANCE, Math.max(0, initialTtl(ttl) - ttl));
}
