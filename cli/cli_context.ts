import type { Command } from "commander";
import { loadConfig, readProcessEnv } from "../core/config/mod.ts";
import type { Config } from "../core/config/mod.ts";
import { Logger } from "../core/log/mod.ts";

/** Options every command inherits from the root program. */
export interface GlobalOptions {
  envFile?: string;
}

/**
 * Loads the configuration for a command, honouring the root `--env-file`.
 *
 * @throws {ConfigError} listing every bad variable (the CLI exits 2 on it)
 */
export function configFor(command: Command): Config {
  const { envFile } = command.optsWithGlobals<GlobalOptions>();
  return loadConfig(readProcessEnv(), { envFile });
}

/** The root logger for a command, at the configured level. */
export function loggerFor(config: Config, scope: string): Logger {
  return new Logger({ level: config.logLevel, scope });
}
