const ISO_DATE_REGEXP =
  /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const HAS_ZONE_REGEXP = /(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Milliseconds since the epoch of an ISO 8601 time, or NaN when it is not
 * one. A time without an offset is read as UTC, so results never depend on
 * the host's time zone (only differences between times are used anyway).
 *
 * @example
 * ```ts
 * parseInstant("2026-11-18T14:00:00Z"); // 1795010400000
 * parseInstant("yesterday"); // NaN
 * ```
 */
export function parseInstant(text: string): number {
  const trimmed = text.trim();
  if (!ISO_DATE_REGEXP.test(trimmed)) return NaN;
  const dateOnly = trimmed.length === 10;
  const zoned = dateOnly || HAS_ZONE_REGEXP.test(trimmed) ? trimmed : `${trimmed}Z`;
  return Date.parse(zoned.replace(" ", "T"));
}
