import { logLines } from "./_log_lines.ts";
import type { SyslogStampFormat } from "./_log_lines.ts";
import { bodyContext } from "./make_body.ts";
import type { MakeBodyOptions } from "./make_body.ts";

/** Options for {@linkcode makeLogLines}. */
export interface MakeLogLinesOptions extends MakeBodyOptions {
  /** Lines are stamped strictly after this instant and at or before `now`. */
  since: Date;
  /** How many lines to write (fewer when no program of `facts` fits). */
  count: number;
  /** How the file stamps its lines (match the file's last line). @default "bsd" */
  stampFormat?: SyslogStampFormat;
}

/**
 * Syslog lines to append to a live log (cron or daemon/auth flavour by
 * class and path), stamped in the decky's zone between `since` and `now`,
 * oldest first. With `facts`, lines name only programs that run, users
 * with their real uids and peers that exist.
 *
 * @param contentClass log_cron or log_daemon
 * @param options persona, decky, randomness, the window and the decky's facts
 * @returns the lines, each ending in a newline ("" when none fits)
 * @example
 * ```ts
 * import type { Persona } from "./persona.ts";
 * import { type MakeLogLinesOptions, makeLogLines } from "./make_log_lines.ts";
 * declare const persona: Persona;
 * declare const rand: () => number;
 * declare const { decky, facts }: MakeLogLinesOptions;
 * const now = new Date();
 * const since = new Date(now.getTime() - 3_600_000);
 * makeLogLines("log_daemon", { persona, decky, rand, now, since, count: 2, path: "/var/log/auth.log", facts });
 * ```
 */
export function makeLogLines(
  contentClass: "log_cron" | "log_daemon",
  options: MakeLogLinesOptions,
): string {
  const ctx = bodyContext(options);
  const lines = logLines(contentClass === "log_cron" ? "cron" : "daemon", {
    ...ctx,
    timeZone: ctx.hostTimeZone,
    stampFormat: options.stampFormat ?? "bsd",
  }, {
    afterMs: options.since.getTime(),
    untilMs: ctx.nowMs,
    count: options.count,
  });
  return lines.map((l) => `${l}\n`).join("");
}
