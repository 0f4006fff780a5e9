import { Command } from "commander";
import { VERSION } from "../core/version.ts";
import { overrideExits, runProgram } from "./run_program.ts";

/**
 * Every subcommand, in the order `--help` lists them, as its name and a
 * loader: a command's module (and what it imports) loads only when that
 * command runs, so `decnet up`'s main isolate holds `up`, not all the CLI.
 */
const SUBCOMMANDS: readonly (readonly [string, () => Promise<Command>])[] = [
  ["up", async () => (await import("./up_command.ts")).upCommand()],
  ["api", async () => (await import("./api_command.ts")).apiCommand()],
  ["db", async () => (await import("./db_command.ts")).dbCommand()],
  ["user", async () => (await import("./user_command.ts")).userCommand()],
  ["api-key", async () => (await import("./api_key_command.ts")).apiKeyCommand()],
  ["workers", async () => (await import("./workers_command.ts")).workersCommand()],
  ["config", async () => (await import("./config_command.ts")).configCommand()],
  ["init", async () => (await import("./init_command.ts")).initCommand()],
  ["install", async () => (await import("./install_command.ts")).installCommand()],
  ["uninstall", async () => (await import("./uninstall_command.ts")).uninstallCommand()],
  ["backup", async () => (await import("./backup_command.ts")).backupCommand()],
  ["restore", async () => (await import("./restore_command.ts")).restoreCommand()],
  ["realism", async () => (await import("./realism_command.ts")).realismCommand()],
  ["orchestrate", async () => (await import("./orchestrate_command.ts")).orchestrateCommand()],
  ["deploy", async () => (await import("./deploy_command.ts")).deployCommand()],
  ["teardown", async () => (await import("./teardown_command.ts")).teardownCommand()],
  ["decky", async () => (await import("./decky_command.ts")).deckyCommand()],
  ["session", async () => (await import("./session_command.ts")).sessionCommand()],
  ["status", async () => (await import("./status_command.ts")).statusCommand()],
  ["reconcile", async () => (await import("./reconcile_command.ts")).reconcileCommand()],
  ["canary", async () => (await import("./canary_command.ts")).canaryCommand()],
  ["collect", async () => (await import("./collect_command.ts")).collectCommand()],
  ["cluster", async () => (await import("./cluster_command.ts")).clusterCommand()],
  ["clusterer", async () => (await import("./clusterer_command.ts")).clustererCommand()],
  ["alerts", async () => (await import("./alerts_command.ts")).alertsCommand()],
  ["sensor", async () => {
    const [{ sensorCommand }, { sensorImageCommand }] = await Promise.all([
      import("./sensor_command.ts"),
      import("./sensor_image_command.ts"),
    ]);
    return sensorCommand().addCommand(sensorImageCommand());
  }],
  ["sniffer", async () => (await import("./sniffer_command.ts")).snifferCommand()],
  ["swarm", async () => (await import("./swarm_command.ts")).swarmCommand()],
  ["agent", async () => (await import("./agent_command.ts")).agentCommand()],
];

/**
 * The subcommand `args` run, when they name one after nothing but the root's
 * `--env-file`; undefined for anything else (help, version, an unknown or
 * misspelt command), which the whole program answers.
 */
function subcommandOf(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--env-file") i++;
    else if (!args[i].startsWith("--env-file=")) {
      return SUBCOMMANDS.some(([name]) => name === args[i]) ? args[i] : undefined;
    }
  }
  return undefined;
}

/**
 * Builds the `decnet` program for `args` (exposed for tests and `--help`
 * checks): with only the subcommand they run when they name one, else with
 * every subcommand. Either answers `args` alike (help, errors, suggestions).
 *
 * @example
 * ```ts
 * const program = await buildProgram(["--help"]); // every subcommand
 * ```
 */
export async function buildProgram(args: string[] = []): Promise<Command> {
  const program = new Command("decnet")
    .description("Deception-network control plane: decoys, canary tokens, live alerts")
    .version(VERSION, "-V, --version", "print the version")
    .option("--env-file <path>", "read DECNET_* variables from this file (default: .env.local)")
    .showHelpAfterError("(run with --help for usage)")
    .showSuggestionAfterError(true);
  const only = subcommandOf(args);
  const loaders = SUBCOMMANDS.filter(([name]) => only === undefined || name === only);
  for (const sub of await Promise.all(loaders.map(([, load]) => load()))) program.addCommand(sub);
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
export async function runCli(args: string[]): Promise<number> {
  return runProgram(await buildProgram(args), args);
}
