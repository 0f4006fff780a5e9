import { createHash } from "node:crypto";
import type { RunningDecky } from "../db/mod.ts";
import type { DockerClient } from "../docker/mod.ts";
import { sensorControlRequest } from "../sensor/sensor_control_request.ts";
import { isSensorImage } from "../sensor/sensor_image.ts";

/**
 * Tells a peer's SSH sensor that `publicKey` is the fleet's own (a
 * persona's key the orchestrator uses), so the sensor records a session
 * offering it as benign, never as an attacker. Nothing to do when the
 * peer's port 22 is not the sensor's.
 *
 * @param docker the Docker client
 * @param peer the decky the session goes to
 * @param publicKey the key, `type base64` as an authorized_keys line starts
 * @returns whether the peer's sensor was told
 * @throws from core/docker when Docker refuses
 * @example
 * ```ts
 * import type { RunningDecky } from "../db/mod.ts";
 * import type { DockerClient } from "../docker/mod.ts";
 * declare const docker: DockerClient, peer: RunningDecky;
 * await trustFleetSshKey(docker, peer, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI...");
 * ```
 */
export async function trustFleetSshKey(
  docker: Pick<DockerClient, "copyToContainer">,
  peer: Pick<RunningDecky, "name" | "images">,
  publicKey: string,
): Promise<boolean> {
  if (!isSensorImage(peer.images?.ssh)) return false;
  const blob = Uint8Array.from(atob(publicKey.split(" ")[1] ?? ""), (c) => c.charCodeAt(0));
  const sha256 = createHash("sha256").update(blob).digest("hex");
  // The deploy names a decky's sensor container `<decky>-sensor`.
  await sensorControlRequest(docker, `${peer.name}-sensor`, `trust-${sha256}`);
  return true;
}
