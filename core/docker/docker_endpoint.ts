/** Where the Docker daemon listens: a unix socket path or a TCP host and port. */
export type DockerEndpoint =
  | { kind: "unix"; socketPath: string }
  | { kind: "tcp"; host: string; port: number };

/**
 * Parses a DOCKER_HOST value (`unix:///path` or `tcp://host:port`).
 *
 * @param dockerHost The value, e.g. `unix:///var/run/docker.sock`.
 * @returns The endpoint.
 * @throws {SyntaxError} When the value is neither form.
 * @example
 * ```ts
 * parseDockerHost("tcp://192.0.2.10:2375"); // { kind: "tcp", host: "192.0.2.10", port: 2375 }
 * ```
 */
export function parseDockerHost(dockerHost: string): DockerEndpoint {
  if (dockerHost.startsWith("unix://")) {
    const socketPath = dockerHost.slice("unix://".length);
    if (socketPath.startsWith("/")) return { kind: "unix", socketPath };
  }
  const tcp = /^tcp:\/\/(\[[0-9a-fA-F:]+\]|[^\s/:]+):(\d{1,5})\/?$/.exec(dockerHost);
  if (tcp) {
    const port = Number(tcp[2]);
    if (port >= 1 && port <= 65535) {
      return { kind: "tcp", host: tcp[1].replace(/^\[|\]$/g, ""), port };
    }
  }
  throw new SyntaxError(
    `Cannot parse DOCKER_HOST: expected unix:///path or tcp://host:port, got "${dockerHost}"`,
  );
}
