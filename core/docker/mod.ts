/**
 * Docker access for decnet: the only folder that talks to the Docker daemon.
 * `openDocker()` returns a {@linkcode DockerClient} over the Docker socket, with
 * decnet's own small HTTP/1.1 client for the Engine API (exec with streamed stdin,
 * exit codes and separated output; inspect; label listing; container, network and
 * image lifecycle). Every call has a time
 * limit (8 s by default) and fails with a distinct error when the daemon is
 * unreachable, when it times out, or when the daemon refuses it. No host shell
 * is used anywhere; in-container scripts get untrusted strings only as
 * positional parameters through {@linkcode shellScript}.
 *
 * @example
 * ```ts
 * import { openDocker, shellScript } from "./mod.ts";
 * await using docker = openDocker({ dockerHost: "unix:///var/run/docker.sock" });
 * const result = await docker.exec("web1", shellScript('cat > "$1"', ["/tmp/a b"]), {
 *   stdin: "hello\n",
 * });
 * ```
 *
 * @module
 */
export type {
  CallOptions,
  ContainerDetails,
  ContainerLimits,
  ContainerLogsOptions,
  ContainerMount,
  ContainerSummary,
  CreateContainerOptions,
  CreateNetworkOptions,
  DockerClient,
  ExecOptions,
  ExecResult,
  ExecStdin,
  FollowLogsOptions,
  ImageDetails,
  ImportImageOptions,
  ListContainersOptions,
  LogEntry,
  NetworkSummary,
  RemoveContainerOptions,
  StopContainerOptions,
} from "./base.ts";
export { DEFAULT_DOCKER_HOST, openDocker } from "./factory.ts";
export type { OpenDockerOptions } from "./factory.ts";
export { DEFAULT_DOCKER_TIMEOUT_MS, EngineClient } from "./engine_client.ts";
export type { EngineClientConfig } from "./engine_client.ts";
export type { EngineApiCalls } from "./_engine_api_calls.ts";
export { parseDockerHost } from "./docker_endpoint.ts";
export type { DockerEndpoint } from "./docker_endpoint.ts";
export { DockerError } from "./docker_error.ts";
export { DockerApiError } from "./docker_api_error.ts";
export { DockerTimeoutError } from "./docker_timeout_error.ts";
export { DockerUnreachableError } from "./docker_unreachable_error.ts";
export { FrameDemuxer } from "./frame_demuxer.ts";
export type { OutputStream } from "./frame_demuxer.ts";
export { shellScript } from "./shell_script.ts";
export { tarStream } from "./tar_stream.ts";
export type { TarEntry } from "./tar_stream.ts";
