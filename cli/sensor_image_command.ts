import { Command } from "commander";
import { printLine } from "../core/log/mod.ts";
import { VERSION } from "../core/version.ts";
import { configFor } from "./cli_context.ts";
import { CliError, EXIT_USAGE } from "./cli_error.ts";

/**
 * `decnet sensor image [--program PATH] [--json]`: builds the sensor image.
 * A command of its own file, added under `sensor` by the full CLI only, so
 * the sensor program (which serves and never builds) holds no Docker client.
 *
 * @example
 * ```ts
 * import { sensorCommand } from "./sensor_command.ts";
 * sensorCommand().addCommand(sensorImageCommand());
 * ```
 */
export function sensorImageCommand(): Command {
  return new Command("image")
    .description(
      "Build the sensor image (local/netd:<version>) through the Docker API from this host's runtime, program and libraries",
    )
    .option("--program <path>", "the bundle to put in (default: the running bundle or binary)")
    .option("--json", "print the result as JSON")
    .action(async (options: { program?: string; json?: boolean }, sub: Command) => {
      const config = configFor(sub);
      const { buildSensorImage, sensorProgramOf } = await import("../core/sensor/mod.ts");
      const { openDocker } = await import("../core/docker/mod.ts");
      const program = options.program
        ? sensorProgramOf(
          new URL(`file://${await Deno.realPath(options.program)}`).href,
          Deno.execPath(),
        )
        : sensorProgramOf(Deno.mainModule, Deno.execPath());
      if (!program) {
        throw new CliError(
          "Cannot build sensor image: --program expected a bundle (deno task build makes dist/decnet.js) when running from source",
          EXIT_USAGE,
        );
      }
      await using docker = openDocker({ dockerHost: config.dockerHost });
      const built = await buildSensorImage(docker, { program, version: VERSION });
      printLine(options.json ? JSON.stringify(built) : `Built ${built.image} (${built.id})`);
    });
}
