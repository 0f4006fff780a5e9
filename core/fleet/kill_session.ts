import type { DockerClient } from "../docker/mod.ts";
import { errorText } from "../log/mod.ts";
import { sensorControlRequest } from "../sensor/sensor_control_request.ts";
import type { FleetContext } from "./fleet_context.ts";
import { fleetLabelKeys } from "./fleet_labels.ts";

/** Outcome of {@linkcode killSession}. */
export interface KillSessionResult {
  decky: string;
  session: string;
  /**
   * requested: the decky's sensor has the request (it ends the session within
   * about a second, if it is still live); absent: the decky has no sensor;
   * failed: Docker refused.
   */
  status: "requested" | "absent" | "failed";
  error?: string;
}

/** A sensor's session ids: UUIDs, or what a test's counter makes. */
const SESSION_REGEXP = /^[A-Za-z0-9-]{1,64}$/;

/**
 * Ends a live attacker session on a decky's sensor. The control plane
 * reaches the sensor only through Docker: it copies an empty file
 * `kill-<session>` into the sensor container's control folder (Docker's
 * archive API, no exec: the sensor image has no shell), which the sensor
 * reads and may not write; the sensor closes that connection, and for an
 * SSH login its relay to the decky's sshd with it, and records a
 * `disconnect` with `reason: "killed"`.
 *
 * @param decky The decky's name.
 * @param session The session id (the `session` field of its events).
 * @param context Docker, host id, labels and log.
 * @returns What happened; never throws for Docker's failures.
 * @throws {TypeError} when `session` is not a session id
 * @example
 * ```ts
 * import type { FleetContext } from "./fleet_context.ts";
 * declare const context: FleetContext;
 * await killSession("ws-01", "0b9e6c1e-5d7a-4c1b-9a55-1f0f2d3c4b5a", context); // { status: "requested", ... }
 * ```
 */
export async function killSession(
  decky: string,
  session: string,
  context: Pick<FleetContext, "hostUuid" | "labels" | "log"> & {
    docker: Pick<DockerClient, "listContainers" | "copyToContainer">;
  },
): Promise<KillSessionResult> {
  if (!SESSION_REGEXP.test(session)) {
    throw new TypeError(
      `Cannot kill session: session expected letters, digits and "-" (1-64), got ${
        JSON.stringify(session.slice(0, 80))
      }`,
    );
  }
  const labels = context.labels ?? fleetLabelKeys();
  try {
    const [sensor] = await context.docker.listContainers({
      labels: {
        [labels.managed]: "true",
        [labels.host]: context.hostUuid,
        [labels.decky]: decky,
        [labels.role]: "sensor",
      },
      all: false, // a stopped sensor has no live session
    });
    if (!sensor) return { decky, session, status: "absent" };
    await sensorControlRequest(context.docker, sensor.id, `kill-${session}`);
    context.log.info("session kill requested", { decky, session });
    return { decky, session, status: "requested" };
  } catch (e) {
    context.log.error("session kill failed", { decky, session, error: e });
    return { decky, session, status: "failed", error: errorText(e) };
  }
}
