import type { DockerClient } from "./base.ts";
import { parseDockerHost } from "./docker_endpoint.ts";
import { EngineClient } from "./engine_client.ts";
import { EngineApi } from "./_engine_api.ts";
import { killHostProcess } from "./_kill_host_process.ts";

/** Default endpoint when DOCKER_HOST is unset (same as the Docker CLI). */
export const DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";

/** Options for {@linkcode openDocker}. */
export interface OpenDockerOptions {
  /** `unix:///path` or `tcp://host:port` (Config.dockerHost). @default "unix:///var/run/docker.sock" */
  dockerHost?: string;
  /** Default time limit per Docker call. @default 8000 */
  timeoutMs?: number;
}

/**
 * Opens a {@linkcode DockerClient} on the Docker daemon at `dockerHost`. No
 * connection is made until the first call (use `ping()` to check).
 *
 * On a unix socket, a timed-out exec's process is killed through its host PID
 * (needs Deno's run permission and read access to /proc); over TCP the
 * daemon's API offers no way to kill it, so `DockerTimeoutError.killed` is false.
 *
 * @param options Endpoint and default time limit.
 * @returns The client; close it with `await using` or `close()`.
 * @throws {SyntaxError} When `dockerHost` is neither `unix:///path` nor `tcp://host:port`.
 * @example
 * ```ts
 * import type { Config } from "../config/config.ts";
 * declare const config: Config;
 * await using docker = openDocker({ dockerHost: config.dockerHost });
 * await docker.ping();
 * ```
 */
export function openDocker(options: OpenDockerOptions = {}): DockerClient {
  const dockerHost = options.dockerHost ?? DEFAULT_DOCKER_HOST;
  const endpoint = parseDockerHost(dockerHost);
  return new EngineClient(new EngineApi(endpoint), {
    endpoint: dockerHost,
    timeoutMs: options.timeoutMs,
    killHostProcess: endpoint.kind === "unix" ? killHostProcess : undefined,
  });
}
