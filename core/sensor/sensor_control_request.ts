import type { DockerClient } from "../docker/mod.ts";
import { tarStream } from "../docker/mod.ts";
import { SENSOR_CONTROL_DIR } from "./sensor_image.ts";

/**
 * Drops one request file into a running sensor container's control folder
 * through Docker's archive API (the sensor has no shell and no path to the
 * control plane; it only reads that folder): `kill-<session>` ends a
 * session, `trust-<key sha256>` names one of the fleet's own SSH keys.
 *
 * @param docker the Docker client (only its archive copy is used)
 * @param container the sensor container (id or name)
 * @param name the request file's name
 * @throws DockerApiError and the like from core/docker when Docker refuses
 * @example
 * ```ts
 * import type { DockerClient } from "../docker/mod.ts";
 * declare const docker: DockerClient;
 * await sensorControlRequest(docker, "ws-01-sensor", "kill-0b9e6c1e-5d7a-4c1b-9a55-1f0f2d3c4b5a");
 * ```
 */
export async function sensorControlRequest(
  docker: Pick<DockerClient, "copyToContainer">,
  container: string,
  name: string,
): Promise<void> {
  await docker.copyToContainer(
    container,
    tarStream([{ type: "file", path: name, mode: 0o444, bytes: new Uint8Array() }]),
    { path: SENSOR_CONTROL_DIR },
  );
}
