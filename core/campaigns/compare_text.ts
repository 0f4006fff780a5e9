/**
 * Plain code-unit order for sorting: the same on every machine and locale
 * (`localeCompare` is not).
 *
 * @example
 * ```ts
 * ["b", "B", "a"].sort(compareText); // ["B", "a", "b"]
 * ```
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
