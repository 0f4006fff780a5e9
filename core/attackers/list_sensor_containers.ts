import type { DockerClient } from "../docker/mod.ts";
import { fleetLabelKeys } from "../fleet/fleet_labels.ts";
// Single files, not the folder's mod.ts: that carries every protocol and its libraries.
import { SENSOR_SERVICES, type SensorServiceName } from "../sensor/sensor_event.ts";
import { SERVICE_LOG_FORMATS, type ServiceLogFormat } from "../sensor/service_log_formats.ts";
import type { SensorContainer } from "./sensor_log_ingest.ts";

/** The `role` label value of a decky's sensor container. */
export const SENSOR_ROLE = "sensor";

/**
 * This host's running containers whose logs the collector reads: each
 * decky's sensor, and operator service containers labelled with a log format.
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
  const mine = { [labels.managed]: "true", [labels.host]: hostUuid } as const;
  const [sensors, logged] = await Promise.all([
    docker.listContainers({ labels: { ...mine, [labels.role]: SENSOR_ROLE }, all: false }),
    docker.listContainers({ labels: { ...mine, [labels.log]: true }, all: false }),
  ]);
  const out: SensorContainer[] = sensors.map((c) => ({
    id: c.id,
    decky: c.labels[labels.decky] ?? "",
    format: "sensor",
  }));
  for (const c of logged) {
    const format = c.labels[labels.log] as ServiceLogFormat;
    const service = c.labels[labels.service] as SensorServiceName;
    if (!SERVICE_LOG_FORMATS.includes(format) || !SENSOR_SERVICES.includes(service)) continue;
    out.push({ id: c.id, decky: c.labels[labels.decky] ?? "", format, service });
  }
  return out.filter((c) => c.decky !== "");
}
