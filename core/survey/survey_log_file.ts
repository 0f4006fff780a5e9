import type { DeckySurvey, SurveyLogFile } from "./decky_survey.ts";

/**
 * The regular file at `path` under /var/log as the survey found it (owner,
 * group, mode), if it exists.
 *
 * @example
 * ```ts
 * import type { DeckySurvey } from "./decky_survey.ts";
 * declare const survey: DeckySurvey;
 * surveyLogFile(survey, "/var/log/auth.log"); // { owner: "root", group: "adm", mode: 0o640, ... }
 * ```
 */
export function surveyLogFile(survey: DeckySurvey, path: string): SurveyLogFile | undefined {
  return survey.logFiles.find((f) => f.kind === "file" && f.path === path);
}
