/** Exit code for success. */
export const EXIT_OK = 0;
/** Exit code for a failure at run time. */
export const EXIT_FAILURE = 1;
/** Exit code for bad usage or bad configuration. */
export const EXIT_USAGE = 2;

/**
 * A failure the CLI reports as one line and an exit code, without a stack:
 * thrown by command actions, caught once by `runCli`.
 */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode: number = EXIT_FAILURE, options?: ErrorOptions) {
    super(message, options);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}
