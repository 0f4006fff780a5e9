import { Command } from "commander";
import { overrideExits, runProgram } from "./run_program.ts";
import { sensorCommand } from "./sensor_command.ts";

/**
 * `decnet sensor ...` with no other command loaded: what a decky's sensor
 * container runs, so its process holds the sensor's code and commander,
 * not the CLI's configuration schema, database layer and other commands.
 * Same options, messages and exit codes as through the full CLI.
 *
 * @param args `Deno.args`, starting with `sensor`
 * @returns The process exit code.
 * @example
 * ```ts
 * Deno.exit(await runSensorCli(["sensor", "--services", "ftp", "--decky", "ws-01"]));
 * ```
 */
export function runSensorCli(args: string[]): Promise<number> {
  return runProgram(overrideExits(new Command("decnet").addCommand(sensorCommand())), args);
}
