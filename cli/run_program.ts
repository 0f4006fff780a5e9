import { type Command, CommanderError } from "commander";
import { ConfigError } from "../core/config/config_error.ts";
import { printError } from "../core/log/mod.ts";
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "./cli_error.ts";

/**
 * Makes `program` and every subcommand throw instead of exiting, with
 * commander's own messages on stderr, so {@linkcode runProgram} picks the
 * exit code.
 *
 * @example
 * ```ts
 * import { Command } from "commander";
 * const program = overrideExits(new Command("decnet"));
 * ```
 */
export function overrideExits(program: Command): Command {
  applyToAll(program, (c) => {
    c.exitOverride();
    c.configureOutput({ writeErr: (s) => printError(s.trimEnd()) });
  });
  return program;
}

function applyToAll(command: Command, fn: (c: Command) => void): void {
  fn(command);
  for (const sub of command.commands) applyToAll(sub, fn);
}

/**
 * Runs a program built with {@linkcode overrideExits} and returns the
 * process exit code: 0 success, 1 failure at run time, 2 bad usage or
 * configuration.
 *
 * @example
 * ```ts
 * import { Command } from "commander";
 * Deno.exit(await runProgram(overrideExits(new Command("decnet")), Deno.args));
 * ```
 */
export async function runProgram(program: Command, args: string[]): Promise<number> {
  try {
    await program.parseAsync(args, { from: "user" });
    return EXIT_OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === "commander.helpDisplayed" || e.code === "commander.version" ||
        e.code === "commander.help"
      ) return EXIT_OK;
      // Commander has already printed its message (unknown command/option, missing argument).
      return EXIT_USAGE;
    }
    // Bad configuration, found at load or where a value is used (a worker's start).
    if (e instanceof ConfigError) {
      printError(`Bad configuration:\n  ${e.issues.map((i) => i.message).join("\n  ")}`);
      return EXIT_USAGE;
    }
    if (e instanceof CliError) {
      printError(e.message);
      return e.exitCode;
    }
    printError(`Failed: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT_FAILURE;
  }
}
