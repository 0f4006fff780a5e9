/**
 * Lays rows out as space-padded columns under a header (for `status` and
 * friends); the last column is not padded.
 *
 * @example
 * ```ts
 * formatTable(["DECKY", "STATE"], [["ws-01", "running"]]); // ["DECKY  STATE", "ws-01  running"]
 * ```
 */
export function formatTable(header: readonly string[], rows: readonly string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  return [header, ...rows].map((row) =>
    row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join("  ")
      .trimEnd()
  );
}
