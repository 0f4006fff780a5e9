import { Command, CommanderError } from "commander";
import { ConfigError } from "../core/config/mod.ts";
import { printError } from "../core/log/mod.ts";
import { VERSION } from "../core/version.ts";
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "./cli_error.ts";
import { apiCommand } from "./api_command.ts";
import { canaryCommand } from "./canary_command.ts";
import { clusterCommand } from "./cluster_command.ts";
import { clustererCommand } from "./clusterer_command.ts";
import { alertsCommand } from "./alerts_command.ts";
import { collectCommand } from "./collect_command.ts";
import { configCommand } from "./config_command.ts";
import { dbCommand } from "./db_command.ts";
import { initCommand } from "./init_command.ts";
import { installCommand } from "./install_command.ts";
import { uninstallCommand } from "./uninstall_command.ts";
import { backupCommand } from "./backup_command.ts";
import { restoreCommand } from "./restore_command.ts";
import { upCommand } from "./up_command.ts";
import { userCommand } from "./user_command.ts";
import { apiKeyCommand } from "./api_key_command.ts";
import { workersCommand } from "./workers_command.ts";
import { realismCommand } from "./realism_command.ts";
import { orchestrateCommand } from "./orchestrate_command.ts";
import { deployCommand } from "./deploy_command.ts";
import { teardownCommand } from "./teardown_command.ts";
import { statusCommand } from "./status_command.ts";
import { reconcileCommand } from "./reconcile_command.ts";
import { sensorCommand } from "./sensor_command.ts";
import { snifferCommand } from "./sniffer_command.ts";
import { deckyCommand } from "./decky_command.ts";
import { sessionCommand } from "./session_command.ts";
import { swarmCommand } from "./swarm_command.ts";
import { agentCommand } from "./agent_command.ts";

/** Every subcommand, in the order `--help` lists them. */
function subcommands(): Command[] {
  return [
    upCommand(),
    apiCommand(),
    dbCommand(),
    userCommand(),
    apiKeyCommand(),
    workersCommand(),
    configCommand(),
    initCommand(),
    installCommand(),
    uninstallCommand(),
    backupCommand(),
    restoreCommand(),
    realismCommand(),
    orchestrateCommand(),
    deployCommand(),
    teardownCommand(),
    deckyCommand(),
    sessionCommand(),
    statusCommand(),
    reconcileCommand(),
    canaryCommand(),
    collectCommand(),
    clusterCommand(),
    clustererCommand(),
    alertsCommand(),
    sensorCommand(),
    snifferCommand(),
    swarmCommand(),
    agentCommand(),
  ];
}

/** Builds the `decnet` program (exposed for tests and `--help` checks). */
export function buildProgram(): Command {
  const program = new Command("decnet")
    .description("Deception-network control plane: decoys, canary tokens, live alerts")
    .version(VERSION, "-V, --version", "print the version")
    .option("--env-file <path>", "read DECNET_* variables from this file (default: .env.local)")
    .showHelpAfterError("(run with --help for usage)")
    .showSuggestionAfterError(true);
  for (const sub of subcommands()) program.addCommand(sub);
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
 * Runs the CLI and returns the process exit code: 0 success, 1 failure at
 * run time, 2 bad usage or configuration.
 *
 * @example
 * ```ts
 * Deno.exit(await runCli(Deno.args));
 * ```
 */
export async function runCli(args: string[]): Promise<number> {
  const program = buildProgram();
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
