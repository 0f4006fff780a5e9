/**
 * Whether a sequence set (`1:*`, `2,4:6`, `*`) is well formed, and which of
 * the given numbers it names. `*` stands for `max`; ranges may be written
 * backwards. Pure.
 *
 * @param text the set as the client sent it
 * @param max the highest sequence number or UID in the mailbox
 * @returns a membership test, or null when the set is malformed (or names 0)
 * @example
 * ```ts
 * const inSet = parseSequenceSet("2:*", 5)!;
 * inSet(1); // false
 * inSet(5); // true
 * ```
 */
export function parseSequenceSet(text: string, max: number): ((n: number) => boolean) | null {
  const ranges: [number, number][] = [];
  for (const piece of text.split(",")) {
    const m = /^(\d+|\*)(?::(\d+|\*))?$/.exec(piece);
    if (!m) return null;
    const a = m[1] === "*" ? max : Number(m[1]);
    const b = m[2] === undefined ? a : m[2] === "*" ? max : Number(m[2]);
    if (
      (m[1] !== "*" && Number(m[1]) === 0) ||
      (m[2] !== undefined && m[2] !== "*" && Number(m[2]) === 0)
    ) {
      return null;
    }
    ranges.push([Math.min(a, b), Math.max(a, b)]);
  }
  return (n) => ranges.some(([lo, hi]) => n >= lo && n <= hi);
}

/** The highest number a set names (not counting `*`), to check against EXISTS. */
export function sequenceSetMax(text: string): number {
  let max = 0;
  for (const n of text.match(/\d+/g) ?? []) max = Math.max(max, Number(n));
  return max;
}
