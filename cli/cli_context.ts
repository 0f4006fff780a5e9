import type { Command } from "commander";
import { ConfigError, loadConfig, readProcessEnv } from "../core/config/mod.ts";
import type { Config } from "../core/config/mod.ts";
import { Logger } from "../core/log/mod.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";

/** Options every command inherits from the root program. */
export interface GlobalOptions {
  envFile?: string;
}

/**
 * Loads the configuration for a command, honouring the root `--env-file`.
 *
 * @throws {CliError} with exit code 2 listing every bad variable
 */
export function configFor(command: Command): Config {
  const { envFile } = command.optsWithGlobals<GlobalOptions>();
  try {
    return loadConfig(readProcessEnv(), { envFile });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    throw new CliError(
      `Bad configuration:\n  ${e.issues.map((i) => i.message).join("\n  ")}`,
      EXIT_USAGE,
      {
        cause: e,
      },
    );
  }
}

/** The root logger for a command, at the configured level. */
export function loggerFor(config: Config, scope: string): Logger {
  return new Logger({ level: config.logLevel, scope });
}
