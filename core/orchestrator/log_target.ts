import type { ContentClass, SyslogStampFormat } from "../../realism/mod.ts";
import { isDaemonRunning, surveyLogFile, surveyUser } from "../survey/mod.ts";
import type { DeckySurvey, SurveyLogFile } from "../survey/mod.ts";

/** Where a log plan may write: a live log the decky already has, and how it stamps lines. */
export type LogTarget = { file: SurveyLogFile; stampFormat: SyslogStampFormat } | {
  skip: string;
};

// Live logs each class may grow, in order of preference after the planned
// path. Rotated files (.1, .gz) never grow; the daemon's own file only.
const LIVE_LOGS: Record<"log_cron" | "log_daemon", readonly string[]> = {
  log_cron: ["/var/log/cron.log", "/var/log/syslog"],
  log_daemon: ["/var/log/syslog", "/var/log/daemon.log", "/var/log/auth.log"],
};

/**
 * Decides whether and where a cron/daemon log plan may write on a surveyed
 * decky: only into a log file that exists (never created: the syslog daemon
 * creates its files), only while the syslog daemon runs (and cron for cron
 * lines, sshd for auth.log), and only for a persona with an account there.
 * The file keeps the owner, group and mode the survey found; lines take the
 * timestamp format of its last line (else of the decky's other live logs,
 * which one syslog daemon writes alike), and nothing is written while no
 * line shows it.
 *
 * @param survey what the decky holds and runs
 * @param plan the planned class, path and persona login
 * @returns the file to append to, or why nothing is written
 * @example
 * ```ts
 * import type { DockerClient } from "../docker/base.ts";
 * import type { DeckySurvey } from "../survey/decky_survey.ts";
 * import { logTarget } from "./log_target.ts";
 * import { appendLog } from "./append_log.ts";
 * declare const bytes: Uint8Array;
 * declare const container: string;
 * declare const docker: DockerClient;
 * declare const survey: DeckySurvey;
 * const target = logTarget(survey, { contentClass: "log_cron", path: "/var/log/cron.log", login: "ana" });
 * if ("file" in target) await appendLog(docker, container, { path: target.file.path, bytes });
 * ```
 */
export function logTarget(
  survey: DeckySurvey,
  plan: { contentClass: ContentClass; path: string; login: string },
): LogTarget {
  const { contentClass } = plan;
  if (contentClass !== "log_cron" && contentClass !== "log_daemon") {
    return { skip: `not a log class: ${contentClass}` };
  }
  if (!isDaemonRunning(survey, "syslog")) return { skip: "no syslog daemon runs" };
  if (contentClass === "log_cron" && !isDaemonRunning(survey, "cron")) {
    return { skip: "cron does not run" };
  }
  if (!surveyUser(survey, plan.login)) return { skip: `no account for ${plan.login}` };
  const stampFormat = survey.logFiles.find((f) => f.stampFormat !== null)?.stampFormat;
  const live = LIVE_LOGS[contentClass];
  const order = live.includes(plan.path) ? [plan.path, ...live] : live;
  for (const path of order) {
    if (path.endsWith("auth.log") && !isDaemonRunning(survey, "sshd")) continue;
    const file = surveyLogFile(survey, path);
    if (!file) continue;
    const format = file.stampFormat ?? stampFormat;
    return format ? { file, stampFormat: format } : { skip: "log timestamp format unknown" };
  }
  return { skip: `no live log for ${contentClass}` };
}
