/**
 * The daemon answered with an error status. Shaped as an {@linkcode EngineFailure}
 * (`statusCode`, `json.message`), which is what `toDockerError` maps to a
 * {@linkcode DockerApiError}, and what the client's 304/404 checks read.
 */
export class EngineStatusError extends Error {
  readonly statusCode: number;
  readonly json: { message: string };

  /**
   * @param statusCode The HTTP status.
   * @param detail The daemon's message (its JSON `message`, or the body's text).
   */
  constructor(statusCode: number, detail: string) {
    super(`Docker daemon answered HTTP ${statusCode}: ${detail}`);
    this.name = "EngineStatusError";
    this.statusCode = statusCode;
    this.json = { message: detail };
  }
}
