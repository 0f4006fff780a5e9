import { errorText } from "../log/mod.ts";
import type { DockerClient } from "../docker/mod.ts";
import { gateFleetSshPort, SSH_FLEET_PORT } from "../fleet/gate_fleet_ssh_port.ts";
import { isSensorImage } from "../sensor/sensor_image.ts";
import { runSshSession } from "./run_ssh_session.ts";
import type { SshSessionResult } from "./run_ssh_session.ts";
import { trustFleetSshKey } from "./trust_fleet_ssh_key.ts";

/** A decky at one end of a session: its name, address and images, and its shell container. */
export interface FleetSshEnd {
  name: string;
  ip: string | null;
  images?: Record<string, string>;
  container: string;
}

/** Options for {@linkcode runFleetSshSession}. */
export interface RunFleetSshSessionOptions {
  src: FleetSshEnd;
  dst: FleetSshEnd;
  login: string;
  dstIp: string;
  commands: readonly string[];
  /** The key an earlier session of this pair and login authorised (see runSshSession). */
  authorizedKey: string | null;
  signal?: AbortSignal;
}

/** How the session went, and on which port of the peer. */
export interface FleetSshSessionResult extends SshSessionResult {
  port: number;
  /** Why the peer's fleet port could not be opened (the session went to 22 instead). */
  gateError?: string;
}

/**
 * One SSH session between two deckies of the same Docker, as the
 * orchestrator runs it locally and a swarm agent runs it for its master:
 * where the peer's port 22 is its sensor's, the session goes to the peer's own
 * sshd on its gated fleet port (the source let through first); a peer without
 * that port gets it on 22, its sensor told the key is the fleet's. Then
 * {@linkcode runSshSession}.
 *
 * @param docker the Docker both deckies run on
 * @param options the two ends, login, peer address, commands and the key known to work
 * @returns the session's result with the port used
 * @throws DockerUnreachableError, DockerTimeoutError, DockerApiError from core/docker
 * @example
 * ```ts
 * import type { DockerClient } from "../docker/base.ts";
 * import { runFleetSshSession } from "./run_fleet_ssh_session.ts";
 * declare const docker: DockerClient;
 * await runFleetSshSession(docker, {
 *   src: { name: "ws-01", ip: "192.0.2.11", container: "ws-01-ssh" },
 *   dst: { name: "ws-02", ip: "192.0.2.12", container: "ws-02-ssh" },
 *   login: "ana", dstIp: "192.0.2.12", commands: ["uptime"], authorizedKey: null,
 * });
 * ```
 */
export async function runFleetSshSession(
  docker: DockerClient,
  options: RunFleetSshSessionOptions,
): Promise<FleetSshSessionResult> {
  const { src, dst } = options;
  let port = 22;
  let gateError: string | undefined;
  if (isSensorImage(dst.images?.ssh) && src.ip) {
    try {
      const state = await gateFleetSshPort(docker, dst.container, {
        peers: [src.ip],
        signal: options.signal,
      });
      if (state === "open") port = SSH_FLEET_PORT;
    } catch (e) {
      gateError = errorText(e);
    }
  }
  const r = await runSshSession(docker, {
    src: src.container,
    dst: dst.container,
    login: options.login,
    dstIp: options.dstIp,
    port,
    commands: options.commands,
    authorizedKey: options.authorizedKey,
    ...(port === 22
      ? {
        beforeSession: (key) =>
          trustFleetSshKey(docker, { name: dst.name, images: dst.images }, key),
      }
      : {}),
    signal: options.signal,
  });
  return { ...r, port, ...(gateError ? { gateError } : {}) };
}
