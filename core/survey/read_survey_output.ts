import type { DockerClient } from "../docker/mod.ts";
import { SURVEY_SCRIPT } from "./survey_script.ts";
import { SurveyError } from "./survey_error.ts";

/** Options for {@linkcode readSurveyOutput}. */
export interface ReadSurveyOutputOptions {
  /** @default 15000 */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** What the survey script printed, whole, and the marker that splits its sections. */
export interface SurveyOutput {
  output: string;
  marker: string;
}

/** A fresh random section marker (16 hex characters). */
function newMarker(): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(8)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}

/**
 * Runs the survey script in a decky's container with one `docker exec` (as
 * root, the script on stdin, the only argument a random marker) and returns
 * its output unparsed: a swarm agent sends it to its master, which parses it
 * with {@linkcode parseSurvey} as it parses its own deckies'.
 *
 * @param docker the Docker client
 * @param container the container to survey (a decky's file container)
 * @param options time limit and cancellation
 * @returns the script's whole output and its marker
 * @throws {SurveyError} when the script fails or stops before its end
 * @throws DockerUnreachableError, DockerTimeoutError, DockerApiError from core/docker
 * @example
 * ```ts
 * import type { DockerClient } from "../docker/base.ts";
 * import { parseSurvey } from "./parse_survey.ts";
 * declare const docker: DockerClient;
 * const { output, marker } = await readSurveyOutput(docker, "ws-01-ssh");
 * const survey = parseSurvey(output, marker);
 * ```
 */
export async function readSurveyOutput(
  docker: DockerClient,
  container: string,
  options: ReadSurveyOutputOptions = {},
): Promise<SurveyOutput> {
  const marker = newMarker();
  const result = await docker.exec(container, ["sh", "-s", marker], {
    stdin: SURVEY_SCRIPT,
    user: "0",
    timeoutMs: options.timeoutMs ?? 15_000,
    signal: options.signal,
  });
  const output = new TextDecoder().decode(result.stdout);
  if (result.exitCode !== 0 || !output.includes(`\n${marker} end\n`)) {
    const stderr = new TextDecoder().decode(result.stderr).trim().slice(0, 500);
    throw new SurveyError(
      `Cannot survey container "${container}": script exited ${result.exitCode} before its end, got "${stderr}"`,
    );
  }
  return { output, marker };
}
