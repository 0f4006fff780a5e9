import { DockerError } from "./docker_error.ts";

/**
 * The daemon answered but refused or failed the request (HTTP status >= 400),
 * e.g. 404 no such container, 409 conflict. The daemon was reachable.
 */
export class DockerApiError extends DockerError {
  /** HTTP status the daemon answered with. */
  readonly status: number;

  /**
   * @param status HTTP status from the daemon.
   * @param options `operation` names the call, `detail` is the daemon's message.
   */
  constructor(status: number, options: { operation: string; detail: string; cause?: unknown }) {
    super(`Cannot ${options.operation}: ${options.detail}, got "HTTP ${status}"`, {
      cause: options.cause,
    });
    this.name = "DockerApiError";
    this.status = status;
  }
}
