import type { DockerClient } from "../docker/mod.ts";
import type { DeckySurvey } from "./decky_survey.ts";
import { parseSurvey } from "./parse_survey.ts";
import { SURVEY_SCRIPT } from "./survey_script.ts";
import { SurveyError } from "./survey_error.ts";

/** Options for {@linkcode surveyDecky}. */
export interface SurveyDeckyOptions {
  /** @default 15000 */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** A fresh random section marker (16 hex characters). */
function newMarker(): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(8)),
    (b) => b.toString(16).padStart(2, "0"),
  )
    .join("");
}

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
  const marker = newMarker();
  const result = await docker.exec(container, ["sh", "-s", marker], {
    stdin: SURVEY_SCRIPT,
    user: "0",
    timeoutMs: options.timeoutMs ?? 15_000,
    signal: options.signal,
  });
  const stdout = new TextDecoder().decode(result.stdout);
  if (result.exitCode !== 0 || !stdout.includes(`\n${marker} end\n`)) {
    const stderr = new TextDecoder().decode(result.stderr).trim().slice(0, 500);
    throw new SurveyError(
      `Cannot survey container "${container}": script exited ${result.exitCode} before its end, got "${stderr}"`,
    );
  }
  return parseSurvey(stdout, marker);
}
