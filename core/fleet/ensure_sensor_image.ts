import type { DockerClient } from "../docker/mod.ts";
import { buildSensorImage, sensorProgramOf } from "../sensor/build_sensor_image.ts";
import type { SensorProgram } from "../sensor/sensor_image.ts";
import { VERSION } from "../version.ts";
import { SENSOR_IMAGE } from "./fleet_spec.ts";

/**
 * Makes sure this version's sensor image exists, building it from the
 * running program when it does not (`decnet sensor image` does the same on
 * demand). From a source checkout there is nothing to put in it, so the
 * error says how to build it.
 *
 * @param docker The Docker client.
 * @param program What to build from. @default the running bundle or binary
 * @returns `built` or `exists`.
 * @throws {Error} naming the image and the command that builds it
 * @example
 * ```ts
 * import type { DockerClient } from "../docker/mod.ts";
 * declare const docker: DockerClient;
 * await ensureSensorImage(docker); // "exists"
 * ```
 */
export async function ensureSensorImage(
  docker: DockerClient,
  program?: SensorProgram,
): Promise<"built" | "exists"> {
  if (await docker.hasImage(SENSOR_IMAGE)) return "exists";
  // A Worker (a swarm agent's deploy) has no Deno.mainModule: nothing to build from there.
  program ??= Deno.mainModule ? sensorProgramOf(Deno.mainModule, Deno.execPath()) : undefined;
  if (!program) {
    throw new Error(
      `Cannot deploy sensors: image ${SENSOR_IMAGE} is missing and this process cannot build it (it runs from a source checkout, or in a swarm agent's worker): run decnet sensor image on this host first (from a checkout: --program dist/decnet.js after deno task build)`,
    );
  }
  await buildSensorImage(docker, { program, version: VERSION });
  return "built";
}
