import type { DeckySurvey, SurveyUser } from "./decky_survey.ts";

/**
 * The decky's account named `login` (uid, gid, home, shell), if it has one.
 *
 * @example
 * ```ts
 * import type { DeckySurvey } from "./decky_survey.ts";
 * declare const survey: DeckySurvey;
 * const uid = surveyUser(survey, "priyanair")?.uid; // 1002
 * ```
 */
export function surveyUser(survey: DeckySurvey, login: string): SurveyUser | undefined {
  return survey.users.find((u) => u.login === login);
}
