/** Quiet time that ends an activity window: events further apart are separate sessions. */
export const ACTIVITY_GAP_MS = 30 * 60_000;

/**
 * Adds event times (ms, any order) to activity windows (`[start, end]` ms,
 * sorted, disjoint): a time within `gapMs` of a window joins it, and
 * windows the new times bridge become one. Pure; folding times in several
 * batches gives the same windows as folding them at once.
 *
 * @example
 * ```ts
 * foldActivityWindows([[0, 1000]], [1500, 10_000_000], 60_000);
 * // [[0, 1500], [10000000, 10000000]]
 * ```
 */
export function foldActivityWindows(
  windows: readonly (readonly [number, number])[],
  times: readonly number[],
  gapMs: number = ACTIVITY_GAP_MS,
): [number, number][] {
  const all: [number, number][] = [
    ...windows.map(([s, e]): [number, number] => [s, e]),
    ...times.filter(Number.isFinite).map((t): [number, number] => [t, t]),
  ].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of all) {
    const last = out.at(-1);
    if (last && s - last[1] <= gapMs) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}
