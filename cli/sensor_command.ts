import { Command } from "commander";
import type { SensorService } from "../core/sensor/sensor_service.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";
import { waitForShutdown } from "./wait_for_shutdown.ts";
import { workerCodePaths } from "./worker_code_paths.ts";

/** Options for {@linkcode sensorCommand}. */
export interface SensorCommandOptions {
  /** The services offered. @default SENSOR_REGISTRY */
  registry?: Readonly<Partial<Record<string, SensorService>>>;
}

/**
 * `decnet sensor --services ssh,imap --decky NAME [--config JSON|FILE] [--control DIR]`: the
 * decoy protocols of one decky, events as JSON lines on stdout, logs on
 * stderr. The full CLI adds `sensor image` (sensor_image_command.ts).
 */
export function sensorCommand(commandOptions: SensorCommandOptions = {}): Command {
  const command = new Command("sensor")
    .description(
      "Serve decoy protocols for one decky (JSON events on stdout); runs in the decky's sensor container",
    )
    .option("--services <list>", "comma list of services to serve, e.g. ssh,imap")
    .option("--decky <name>", "decky name stamped on every event")
    .option(
      "--config <json-or-file>",
      'per-service options as JSON or a JSON file, e.g. {"ssh":{"banner":"SSH-2.0-OpenSSH_9.2p1","accept":["root:toor"]}}',
    )
    .option(
      "--control <dir>",
      "folder the control plane drops requests into (kill-<session> files ends that session); read only",
    )
    .action(async (
      options: { services?: string; decky?: string; config?: string; control?: string },
    ) => {
      // Loaded here, file by file, so `sensor` in a container loads no other command's code
      // (nor the Docker client, whose dependencies read the environment it may not read).
      const registry = commandOptions.registry ??
        (await import("../core/sensor/sensor_registry.ts")).SENSOR_REGISTRY;
      const { parseSensorPlan } = await import("../core/sensor/sensor_plan.ts");
      const { runSensor } = await import("../core/sensor/run_sensor.ts");
      if (!options.services) {
        throw new CliError("Cannot start sensor: --services is required", EXIT_USAGE);
      }
      if (!options.decky) {
        throw new CliError("Cannot start sensor: --decky is required", EXIT_USAGE);
      }
      let plan;
      try {
        plan = parseSensorPlan({
          decky: options.decky,
          services: options.services.split(","),
          config: options.config === undefined ? undefined : await readConfig(options.config),
          registry,
          controlDir: options.control,
        });
      } catch (e) {
        if (e instanceof TypeError || e instanceof SyntaxError) {
          throw new CliError(e.message, EXIT_USAGE);
        }
        throw e;
      }
      const stop = new AbortController();
      const shutdown = waitForShutdown(stop.signal);
      shutdown.then(() => stop.abort());
      try {
        await runSensor(plan, {
          entryUrl: Deno.mainModule,
          codePaths: workerCodePaths(),
          registry,
          signal: stop.signal,
        });
      } finally {
        stop.abort();
      }
    });
  return command;
}

async function readConfig(value: string): Promise<unknown> {
  const text = value.trimStart().startsWith("{") ? value : await readFile(value);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new SyntaxError(
      `Cannot start sensor: --config expected JSON, got ${(e as Error).message}`,
    );
  }
}

async function readFile(path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    throw new TypeError(
      `Cannot start sensor: --config expected JSON or a readable file, got "${path}"`,
      {
        cause: e,
      },
    );
  }
}
