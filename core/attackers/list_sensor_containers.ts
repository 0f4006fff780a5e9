import type { DockerClient } from "../docker/mod.ts";
import { fleetLabelKeys } from "../fleet/fleet_labels.ts";
import type { SensorContainer } from "./sensor_log_ingest.ts";

/** The `role` label value of a decky's sensor container. */
export const SENSOR_ROLE = "sensor";

/**
 * This host's running sensor containers, with the decky each serves.
 *
 * @example
 * ```ts
 * import type { DockerClient } from "../docker/mod.ts";
 * declare const docker: DockerClient;
 * const sensors = await listSensorContainers(docker, "local");
 * ```
 */
export async function listSensorContainers(
  docker: DockerClient,
  hostUuid: string,
): Promise<SensorContainer[]> {
  const labels = fleetLabelKeys();
  const containers = await docker.listContainers({
    labels: { [labels.managed]: "true", [labels.host]: hostUuid, [labels.role]: SENSOR_ROLE },
    all: false,
  });
  return containers.map((c) => ({ id: c.id, decky: c.labels[labels.decky] ?? "" }))
    .filter((c) => c.decky !== "");
}
