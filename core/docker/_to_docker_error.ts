import { DockerApiError } from "./docker_api_error.ts";
import { DockerError } from "./docker_error.ts";
import { DockerUnreachableError } from "./docker_unreachable_error.ts";
import type { EngineFailure } from "./_engine_api_calls.ts";

// Socket-level failures: the daemon is not there (or went away), as opposed to
// an HTTP error status, which means it answered.
const UNREACHABLE_CODES = new Set([
  "ENOENT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "EACCES",
  "EPERM",
  "ENOTCONN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "ENOTSOCK",
  "ECONNABORTED",
]);

/** Maps whatever an Engine API call rejected with to one of our error classes. */
export function toDockerError(
  error: unknown,
  options: { operation: string; endpoint: string },
): DockerError {
  if (error instanceof DockerError) return error;
  const failure = (error ?? {}) as EngineFailure;
  if (typeof failure.statusCode === "number") {
    const detail = failure.json?.message ?? stripModemPrefix(failure.message ?? "daemon error");
    return new DockerApiError(failure.statusCode, {
      operation: options.operation,
      detail,
      cause: error,
    });
  }
  if (isUnreachable(error)) {
    return new DockerUnreachableError(options.endpoint, {
      operation: options.operation,
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new DockerError(`Cannot ${options.operation}: ${message}`, { cause: error });
}

/** Whether an error is a socket-level failure to reach the daemon. */
export function isUnreachable(error: unknown): boolean {
  const code = (error as EngineFailure | undefined)?.code;
  if (typeof code === "string" && UNREACHABLE_CODES.has(code)) return true;
  // Deno's node:net reports a missing unix socket as a NotFound without a code.
  return error instanceof Deno.errors.NotFound ||
    error instanceof Deno.errors.ConnectionRefused ||
    error instanceof Deno.errors.ConnectionReset;
}

function stripModemPrefix(message: string): string {
  // "(HTTP code 404) no such container - No such container: x " -> "No such container: x"
  return message.replace(/^\(HTTP code \d+\) [^-]*- /, "").trim();
}
