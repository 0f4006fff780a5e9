import type { DockerClient } from "../docker/mod.ts";
import type { DeckySurvey } from "./decky_survey.ts";
import { parseSurvey } from "./parse_survey.ts";
import { readSurveyOutput, type ReadSurveyOutputOptions } from "./read_survey_output.ts";

/** Options for {@linkcode surveyDecky}: those of the script's run. */
export type SurveyDeckyOptions = ReadSurveyOutputOptions;

/**
 * Surveys a decky's container with one `docker exec` of a constant POSIX sh
 * script on stdin (as root; the only argument is a random marker, nothing
 * interpolated): OS and install
 * date, users, processes and daemons with versions, /var/log layout, mail
 * location, addresses, peers, resolver.
 *
 * @param docker the Docker client
 * @param container the container to survey (a decky's file container)
 * @param options time limit and cancellation
 * @returns the parsed survey
 * @throws {SurveyError} when the script fails or stops before its end
 * @throws DockerUnreachableError, DockerTimeoutError, DockerApiError from core/docker
 * @example
 * ```ts
 * import type { DockerClient } from "../docker/base.ts";
 * declare const docker: DockerClient;
 * const survey = await surveyDecky(docker, "ws-01-ssh");
 * survey.users.find((u) => u.login === "priyanair")?.uid;
 * ```
 */
export async function surveyDecky(
  docker: DockerClient,
  container: string,
  options: SurveyDeckyOptions = {},
): Promise<DeckySurvey> {
  const { output, marker } = await readSurveyOutput(docker, container, options);
  return parseSurvey(output, marker);
}
