import { Command } from "commander";
import { VERSION } from "../core/version.ts";
import { overrideExits, runProgram } from "./run_program.ts";
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
import { sensorImageCommand } from "./sensor_image_command.ts";
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
    sensorCommand().addCommand(sensorImageCommand()),
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
  return overrideExits(program);
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
export function runCli(args: string[]): Promise<number> {
  return runProgram(buildProgram(), args);
}
