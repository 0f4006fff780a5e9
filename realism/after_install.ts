/**
 * A file's modification time moved into the machine's life: a time before
 * the OS was installed (no user file is older than the system, and an
 * intruder compares with the first line of dpkg's log) becomes one in the
 * first nine tenths of the span from the install to `now`. Other times, and
 * every time when the install date is unknown or not before `now`, are kept.
 *
 * @param at the planned modification time
 * @param options the install instant (null: unknown), the clock and randomness in [0, 1)
 * @returns `at`, or a time after the install and before `now`
 * @example
 * ```ts
 * import { afterInstall } from "./after_install.ts";
 * const installedAt = new Date("2026-11-30T09:00:00Z");
 * afterInstall(new Date("2026-10-02T10:00:00Z"), { installedAt, now: new Date("2026-12-01T09:00:00Z"), rand: () => 0.5 });
 * // 2026-11-30T20:24:00.000Z
 * ```
 */
export function afterInstall(
  at: Date,
  options: { installedAt: Date | null; now: Date; rand: () => number },
): Date {
  const installed = options.installedAt?.getTime();
  const now = options.now.getTime();
  if (installed === undefined || at.getTime() >= installed || installed >= now) return at;
  return new Date(installed + Math.floor((now - installed) * (0.05 + 0.85 * options.rand())));
}
