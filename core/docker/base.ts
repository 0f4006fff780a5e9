/** Bytes for an exec's stdin: all at once, or streamed chunk by chunk (e.g. a ReadableStream). */
export type ExecStdin = Uint8Array | string | AsyncIterable<Uint8Array>;

/** Options for {@linkcode DockerClient.exec}. */
export interface ExecOptions {
  /** Sent to the process's stdin, which is then closed. No stdin is attached when absent. */
  stdin?: ExecStdin;
  /** Time limit for the whole exec; on expiry the process is killed. @default 8000 */
  timeoutMs?: number;
  /** User (`name`, `uid` or `uid:gid`) to run as. @default the container's user */
  user?: string;
  /** Working directory inside the container. @default the container's */
  workingDir?: string;
  /** Extra environment, `NAME=value` entries. */
  env?: readonly string[];
  /** Cancels the exec (the process is killed as on a timeout). */
  signal?: AbortSignal;
}

/** What an exec produced. A non-zero exit code is a result, not an error. */
export interface ExecResult {
  exitCode: number;
  stdout: Uint8Array;
  stderr: Uint8Array;
}

/** Options shared by the short calls (everything but exec). */
export interface CallOptions {
  /** Time limit for this call. @default 8000 (or the client's `timeoutMs`) */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** State of a container as `docker inspect` reports it (the parts decnet uses). */
export interface ContainerDetails {
  id: string;
  /** Name without the leading slash. */
  name: string;
  image: string;
  labels: Record<string, string>;
  /** `created`, `running`, `paused`, `restarting`, `removing`, `exited` or `dead`. */
  status: string;
  running: boolean;
  exitCode: number;
  /** Host PID of the main process; 0 when not running. */
  pid: number;
  startedAt: string;
  finishedAt: string;
  /** `none`, `host`, a network name or `container:<id>`. */
  networkMode: string;
  init: boolean;
  hostname: string;
  /** Attached networks by name. */
  networks: Record<string, { networkId: string; ipAddress: string; macAddress: string }>;
  /** Resource limits; 0 means none. */
  limits: ContainerLimits;
  /** `uid[:gid]` the main process runs as; empty for the image's. */
  user: string;
  mounts: { type: string; source: string; target: string; readOnly: boolean }[];
}

/** CPU, memory and process-count limits of a container (`--cpus`, `--memory`, `--pids-limit`). */
export interface ContainerLimits {
  /** CPU quota in units of 1e-9 CPUs (`--cpus 0.5` = 500000000). */
  nanoCpus: number;
  memoryBytes: number;
  pidsLimit: number;
}

/** A volume or host path mounted into a container. */
export interface ContainerMount {
  type: "volume" | "bind";
  /** Volume name (created on first use) or host path. */
  source: string;
  target: string;
  /** @default false */
  readOnly?: boolean;
}

/** Options for {@linkcode DockerClient.containerLogs}. */
export interface ContainerLogsOptions extends CallOptions {
  /** Only lines after this time (Unix seconds). */
  since?: number;
}

/** An image's configuration as `docker image inspect` reports it (the parts decnet checks). */
export interface ImageDetails {
  id: string;
  repoTags: string[];
  entrypoint: string[];
  cmd: string[];
  env: string[];
  labels: Record<string, string>;
  user: string;
  workingDir: string;
}

/** One row of a container listing. */
export interface ContainerSummary {
  id: string;
  /** Names without the leading slash. */
  names: string[];
  image: string;
  labels: Record<string, string>;
  /** `created`, `running`, `exited`, ... */
  state: string;
}

/** Options for {@linkcode DockerClient.listContainers}. */
export interface ListContainersOptions extends CallOptions {
  /**
   * Label filter: every entry must match. `{ "a": "1" }` matches label a=1;
   * `{ "a": true }` matches any value of label a.
   */
  labels?: Record<string, string | true>;
  /** Include stopped containers. @default true */
  all?: boolean;
}

/** Options for {@linkcode DockerClient.createContainer}. */
export interface CreateContainerOptions extends CallOptions {
  image: string;
  name?: string;
  /** Command argv (replaces the image's CMD). */
  cmd?: readonly string[];
  entrypoint?: readonly string[];
  env?: readonly string[];
  labels?: Record<string, string>;
  hostname?: string;
  user?: string;
  workingDir?: string;
  /**
   * `none`, `host`, a network name, or `container:<id>` to join another
   * container's network namespace (then hostname and addresses come from it).
   * @default "none"
   */
  networkMode?: string;
  /** Static IPv4 address on the `networkMode` network (user-created networks only). */
  ipv4Address?: string;
  macAddress?: string;
  /** Run an init (tini) as PID 1 that reaps zombies and forwards signals (`--init`). @default false */
  init?: boolean;
  /** Extra Linux capabilities, e.g. `["NET_ADMIN"]`. */
  capAdd?: readonly string[];
  /**
   * Cgroup namespace (`--cgroupns`): `private` makes /proc/self/cgroup read `/`
   * paths instead of `/docker/<id>` on cgroup v1 hosts. @default the daemon's
   */
  cgroupns?: "private" | "host";
  /** DNS servers (`--dns`); on user-defined networks, the upstreams of Docker's 127.0.0.11. */
  dns?: readonly string[];
  /** Restart policy name (`no`, `always`, `unless-stopped`, `on-failure`). @default "no" */
  restartPolicy?: string;
  /** Volumes and bind mounts. */
  mounts?: readonly ContainerMount[];
  /** CPU, memory and process-count limits; absent or 0 means none. */
  limits?: Partial<ContainerLimits>;
}

/** Options for {@linkcode DockerClient.stopContainer}. */
export interface StopContainerOptions extends CallOptions {
  /** Seconds the daemon waits after SIGTERM before SIGKILL. @default 2 */
  graceSeconds?: number;
}

/** Options for {@linkcode DockerClient.removeContainer}. */
export interface RemoveContainerOptions extends CallOptions {
  /** Kill the container first if it runs. @default false */
  force?: boolean;
}

/** Options for {@linkcode DockerClient.createNetwork}. */
export interface CreateNetworkOptions extends CallOptions {
  name: string;
  /** @default "bridge" */
  driver?: "bridge" | "macvlan" | "ipvlan";
  /** e.g. `192.0.2.0/24`. @default picked by the daemon (bridge only) */
  subnet?: string;
  gateway?: string;
  /** Sub-range that the daemon hands out automatically. */
  ipRange?: string;
  /** Host interface for macvlan/ipvlan (driver option `parent`). */
  parent?: string;
  /** `bridge`/`private`/`vepa`/`passthru` (macvlan) or `l2`/`l3` (ipvlan). */
  mode?: string;
  /** No route to the outside. @default false */
  internal?: boolean;
  labels?: Record<string, string>;
}

/** One row of a network listing. */
export interface NetworkSummary {
  id: string;
  name: string;
  driver: string;
  labels: Record<string, string>;
  subnets: string[];
  /** No route to the outside (`--internal`). */
  internal: boolean;
  /** Driver options (`parent` of macvlan/ipvlan, `com.docker.network.bridge.name`). */
  options: Record<string, string>;
}

/** Options for {@linkcode DockerClient.importImage}. */
export interface ImportImageOptions extends CallOptions {
  /** Repository, e.g. `decoy/base`. */
  repo: string;
  /** @default "latest" */
  tag?: string;
  /** Dockerfile instructions applied on import, e.g. `CMD ["/bin/sleep","inf"]`. */
  changes?: readonly string[];
}

/** One entry of a container's log (`docker logs --timestamps`). */
export interface LogEntry {
  /** Docker's timestamp, RFC 3339 with nanoseconds (fixed width, so it sorts as text). */
  time: string;
  /** The entry's text; a complete line ends with "\n", a part of a long line does not. */
  text: string;
}

/** Options for {@linkcode DockerClient.followLogs}. */
export interface FollowLogsOptions {
  /** Entries at or after this timestamp (a {@linkcode LogEntry.time}). @default every entry */
  since?: string;
  /** Also stderr (sshd -e logs there). @default false */
  stderr?: boolean;
  /** Ends the stream. */
  signal?: AbortSignal;
  /** Time limit for opening the stream (not for following it). @default the client's */
  timeoutMs?: number;
}

/**
 * Everything decnet asks of Docker. Every call has a time limit (8 s unless
 * given), rejects with `DockerUnreachableError` when the daemon cannot be
 * reached, `DockerTimeoutError` past its limit, and `DockerApiError` when the
 * daemon refuses it. Commands are argv arrays; nothing runs a host shell.
 */
export interface DockerClient extends AsyncDisposable {
  /** Human-readable endpoint, e.g. `unix:///var/run/docker.sock`. */
  readonly endpoint: string;
  /** Checks the daemon answers. */
  ping(options?: CallOptions): Promise<void>;
  /** Runs `argv` in a running container and collects its output and exit code. */
  exec(container: string, argv: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** Inspects a container; undefined when there is no such container. */
  inspectContainer(container: string, options?: CallOptions): Promise<ContainerDetails | undefined>;
  listContainers(options?: ListContainersOptions): Promise<ContainerSummary[]>;
  /**
   * A container's log (stdout, and stderr if asked) from `since`, then live until the container
   * stops or `signal` aborts.
   */
  followLogs(container: string, options?: FollowLogsOptions): AsyncIterable<LogEntry>;
  /** Creates a container and returns its id. */
  createContainer(options: CreateContainerOptions): Promise<string>;
  /** Starts a container; already running is fine. */
  startContainer(container: string, options?: CallOptions): Promise<void>;
  /** Stops a container; already stopped is fine. */
  stopContainer(container: string, options?: StopContainerOptions): Promise<void>;
  removeContainer(container: string, options?: RemoveContainerOptions): Promise<void>;
  /** Creates a network and returns its id. */
  createNetwork(options: CreateNetworkOptions): Promise<string>;
  removeNetwork(network: string, options?: CallOptions): Promise<void>;
  listNetworks(
    options?: CallOptions & { labels?: Record<string, string | true> },
  ): Promise<NetworkSummary[]>;
  /** Imports a root filesystem tarball as an image (`docker import`); returns the image id. */
  importImage(tarball: ExecStdin, options: ImportImageOptions): Promise<string>;
  /** Whether an image (name:tag or id) exists. */
  hasImage(image: string, options?: CallOptions): Promise<boolean>;
  /**
   * Extracts a tar archive into a container's filesystem at `path` (which
   * must exist), e.g. a file a container without a shell needs before it starts.
   */
  copyToContainer(
    container: string,
    tarball: ExecStdin,
    options: CallOptions & { path: string },
  ): Promise<void>;

  close(): Promise<void>;
}
