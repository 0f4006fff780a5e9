import { isValidTimeZone } from "./_zoned_time.ts";

/**
 * The zone a persona's active hours are read in, for files and mail alike:
 * the persona's, else the decky's, else UTC (an unknown zone counts as unset).
 *
 * @example
 * ```ts
 * resolveTimeZone({ timezone: undefined }, { timezone: "Europe/Paris" }); // "Europe/Paris"
 * ```
 */
export function resolveTimeZone(
  persona: { readonly timezone?: string | null },
  decky?: { readonly timezone?: string | null } | null,
): string {
  for (const tz of [persona.timezone, decky?.timezone]) {
    if (tz && isValidTimeZone(tz)) return tz;
  }
  return "UTC";
}
