/**
 * When the last line of a forged log written up to `until` is stamped:
 * `until` itself for daemon lines; for cron, the last minute at or before
 * it plus one second (cron fires on the minute, syslog shows it a second
 * later). A file whose last write is that line (a rotated log) carries this
 * mtime.
 *
 * @param kind "cron" or "daemon"
 * @param until the end of the log's span
 * @returns the last line's instant (whole seconds)
 * @example
 * ```ts
 * lastLogLineAt("cron", new Date("2026-03-01T10:17:42Z")); // 2026-03-01T10:17:01Z
 * ```
 */
export function lastLogLineAt(kind: "cron" | "daemon", until: Date): Date {
  const ms = until.getTime();
  if (kind === "daemon") return new Date(Math.floor(ms / 1000) * 1000);
  return new Date(Math.floor((ms - 1000) / 60_000) * 60_000 + 1000);
}
