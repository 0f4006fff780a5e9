/**
 * The command line: one file per subcommand, each building a commander
 * `Command` that parses flags, loads the configuration and calls into
 * core, canary, realism or web.
 *
 * @module
 */
export { buildProgram, runCli } from "./run_cli.ts";
export { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "./cli_error.ts";
