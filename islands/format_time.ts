/**
 * An ISO 8601 time as `YYYY-MM-DD HH:MM:SS UTC` (same text on server and
 * browser, so hydration matches); "-" for null or unparsable input.
 *
 * @example
 * ```ts
 * formatTime("2026-11-18T14:00:00.123Z"); // "2026-11-18 14:00:00 UTC"
 * ```
 */
export function formatTime(iso: string | null): string {
  if (!iso) return "-";
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return "-";
  return `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
