import type { DeckySurvey } from "./decky_survey.ts";

/**
 * Whether a well-known daemon runs on the surveyed decky.
 *
 * @param survey what the decky runs
 * @param name our name for the daemon: sshd, cron, syslog, dovecot, mta, ... (see DAEMONS)
 * @returns true when at least one of its processes was seen
 * @example
 * ```ts
 * import type { DeckySurvey } from "./decky_survey.ts";
 * import { isDaemonRunning } from "./is_daemon_running.ts";
 * declare const survey: DeckySurvey;
 * declare function planCronLines(): void;
 * if (isDaemonRunning(survey, "cron")) planCronLines();
 * ```
 */
export function isDaemonRunning(survey: DeckySurvey, name: string): boolean {
  return survey.daemons.some((d) => d.name === name && d.pids.length > 0);
}
