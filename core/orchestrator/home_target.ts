import { surveyUser } from "../survey/mod.ts";
import type { DeckySurvey, SurveyUser } from "../survey/mod.ts";

/** Where a planned path lands on a surveyed decky. */
export type HomeTarget =
  | { path: string; user: SurveyUser; relPath: string }
  | { path: string; user: null; relPath: null }
  | { skip: string };

/**
 * Places a planned path on a decky: a path in `/home/<login>/` (where the
 * planner puts a persona's files) moves to the login's real home from the
 * survey, and is refused when the decky has no such login (or no survey);
 * any other path stays as it is. Pure.
 *
 * @param path the planned absolute path
 * @param login the persona's login
 * @param survey the decky's survey, null when unknown
 * @returns the real path with its user and home-relative path, or why not
 * @example
 * ```ts
 * import type { DeckySurvey } from "../survey/decky_survey.ts";
 * import { homeTarget } from "./home_target.ts";
 * declare const survey: DeckySurvey; // ana's home is /srv/home/ana
 * homeTarget("/home/ana/notes.txt", "ana", survey); // { path: "/srv/home/ana/notes.txt", user, relPath: "notes.txt" }
 * ```
 */
export function homeTarget(path: string, login: string, survey: DeckySurvey | null): HomeTarget {
  const user = survey ? surveyUser(survey, login) : undefined;
  const home = user?.home.replace(/\/+$/, "");
  // An edit names the path a create already placed in the real home.
  if (user && home && home !== "" && path.startsWith(`${home}/`)) {
    return { path, user, relPath: path.slice(home.length + 1) };
  }
  const prefix = `/home/${login}/`;
  if (!path.startsWith(prefix)) return { path, user: null, relPath: null };
  if (survey === null) return { skip: "decky not surveyed" };
  if (!user || !home || user.uid === 0 || !home.startsWith("/")) {
    return { skip: `no home for ${login}` };
  }
  const relPath = path.slice(prefix.length);
  return { path: `${home}/${relPath}`, user, relPath };
}
