import { DockerError } from "./docker_error.ts";

/** A Docker call ran past its time limit; for an exec, the process was killed if possible. */
export class DockerTimeoutError extends DockerError {
  /** The limit that was exceeded, in milliseconds. */
  readonly timeoutMs: number;
  /** For an exec: whether the process was confirmed killed. Always false for other calls. */
  readonly killed: boolean;

  /**
   * @param timeoutMs The limit that was exceeded.
   * @param options `operation` names the call; `killed` whether the exec process was killed.
   */
  constructor(timeoutMs: number, options: { operation: string; killed?: boolean }) {
    const killed = options.killed ?? false;
    super(
      `Cannot ${options.operation}: timed out${killed ? " and was killed" : ""}, ` +
        `got limit "${timeoutMs} ms"`,
    );
    this.name = "DockerTimeoutError";
    this.timeoutMs = timeoutMs;
    this.killed = killed;
  }
}
