import { DockerError } from "./docker_error.ts";

/**
 * The Docker daemon could not be reached (no socket, connection refused or
 * lost): distinct from a command the daemon ran and reported as failed.
 */
export class DockerUnreachableError extends DockerError {
  /** The endpoint that was tried, e.g. `unix:///var/run/docker.sock`. */
  readonly endpoint: string;

  /**
   * @param endpoint The endpoint that was tried.
   * @param options `operation` names the call; `cause` is the socket error.
   */
  constructor(endpoint: string, options: { operation: string; cause?: unknown }) {
    const detail = errorCode(options.cause);
    super(
      `Cannot ${options.operation}: Docker daemon unreachable${detail ? ` (${detail})` : ""}, ` +
        `got "${endpoint}"`,
      { cause: options.cause },
    );
    this.name = "DockerUnreachableError";
    this.endpoint = endpoint;
  }
}

function errorCode(cause: unknown): string | undefined {
  if (cause && typeof cause === "object" && "code" in cause && typeof cause.code === "string") {
    return cause.code;
  }
  return undefined;
}
