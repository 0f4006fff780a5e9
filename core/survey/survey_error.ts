/** Thrown when the survey script cannot run to its end in a container. */
export class SurveyError extends Error {
  override name = "SurveyError";
}
