/**
 * The decky survey: before the orchestrator writes into a decky it reads
 * what is really there with one `docker exec` of a constant sh script (OS and
 * install date, users and uids, running daemons and their versions, the
 * /var/log layout, dovecot's mail location, addresses and LAN peers,
 * resolver, container tells), parsed by a pure parser and cached per
 * deployment.
 *
 * @example
 * ```ts
 * import type { DockerClient } from "../docker/mod.ts";
 * import { SurveyCache } from "./mod.ts";
 * import { isDaemonRunning } from "./is_daemon_running.ts";
 * declare const docker: DockerClient;
 * const survey = await new SurveyCache(docker).get("uuid/ws-01-ssh", "ws-01-ssh");
 * const writesCrontab = survey !== null && isDaemonRunning(survey, "cron");
 * ```
 *
 * @module
 */
export type {
  DeckySurvey,
  SurveyDaemon,
  SurveyGroup,
  SurveyLogFile,
  SurveyPeer,
  SurveyProcess,
  SurveyRoute,
  SurveyUser,
} from "./decky_survey.ts";
export { DAEMONS } from "./daemons.ts";
export type { DaemonSignature } from "./daemons.ts";
export { parseSurvey } from "./parse_survey.ts";
export {
  SURVEY_BINARIES,
  SURVEY_LOG_TAILS,
  SURVEY_PACKAGES,
  SURVEY_SCRIPT,
} from "./survey_script.ts";
export { surveyDecky } from "./survey_decky.ts";
export { readSurveyOutput } from "./read_survey_output.ts";
export type { ReadSurveyOutputOptions, SurveyOutput } from "./read_survey_output.ts";
export { SurveyError } from "./survey_error.ts";
export type { SurveyDeckyOptions } from "./survey_decky.ts";
export { SURVEY_MAX_AGE_MS, SURVEY_RETRY_MS, SurveyCache } from "./survey_cache.ts";
export type { SurveyCacheOptions } from "./survey_cache.ts";
export { isDaemonRunning } from "./is_daemon_running.ts";
export { surveyUser } from "./survey_user.ts";
export { surveyLogFile } from "./survey_log_file.ts";
