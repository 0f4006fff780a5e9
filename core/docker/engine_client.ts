import type {
  CallOptions,
  ContainerDetails,
  ContainerLogsOptions,
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
import { DockerError } from "./docker_error.ts";
import { DockerTimeoutError } from "./docker_timeout_error.ts";
import { FrameDemuxer } from "./frame_demuxer.ts";
import { concatBytes } from "./_concat_bytes.ts";
import { Deadline } from "./_deadline.ts";
import {
  containerDetails,
  containerSummary,
  imageDetails,
  labelFilter,
  networkSummary,
} from "./_docker_mapping.ts";
import type {
  EngineApiCalls,
  EngineExecHandle,
  EngineFailure,
  HijackedConnection,
} from "./_engine_api_calls.ts";
import { toDockerError } from "./_to_docker_error.ts";

/** Default time limit of every Docker call, in milliseconds. */
export const DEFAULT_DOCKER_TIMEOUT_MS = 8_000;

/** Settings for {@linkcode EngineClient}. */
export interface EngineClientConfig {
  /** Endpoint shown in errors, e.g. `unix:///var/run/docker.sock`. */
  endpoint: string;
  /** Default limit per call. @default 8000 */
  timeoutMs?: number;
  /**
   * Kills a timed-out exec's process given its host PID and argv; resolves true
   * when it is gone. Docker's API cannot kill an exec, so this only works when the
   * daemon shares our PID namespace (local unix socket). @default none (not killed)
   */
  killHostProcess?: (pid: number, argv: readonly string[]) => Promise<boolean>;
}

const KILL_CHECK_MS = 2_000;

/**
 * {@linkcode DockerClient} over the Docker Engine API slice {@linkcode EngineApiCalls}
 * (named after the library it first ran on; `openDocker()` gives it decnet's own
 * HTTP/1.1 client). Exec uses the hijacked `/exec/{id}/start` connection: stdin is
 * streamed with backpressure then half-closed while the multiplexed output is read
 * and split by {@linkcode FrameDemuxer}.
 *
 * @example
 * ```ts
 * import { openDocker } from "./factory.ts";
 * await using docker = openDocker({ dockerHost: "unix:///var/run/docker.sock" });
 * const { exitCode, stdout } = await docker.exec("web1", ["cat", "/etc/hostname"]);
 * ```
 */
export class EngineClient implements DockerClient {
  readonly endpoint: string;
  readonly #client: EngineApiCalls;
  readonly #timeoutMs: number;
  readonly #killHostProcess?: EngineClientConfig["killHostProcess"];

  /**
   * @param client The Engine API (or a fake with the same slice of it).
   * @param config Endpoint name, default time limit, host-process killer.
   */
  constructor(client: EngineApiCalls, config: EngineClientConfig) {
    this.#client = client;
    this.endpoint = config.endpoint;
    this.#timeoutMs = config.timeoutMs ?? DEFAULT_DOCKER_TIMEOUT_MS;
    this.#killHostProcess = config.killHostProcess;
    new Deadline(this.#timeoutMs).clear(); // validates the limit
  }

  /** Checks the daemon answers `GET /_ping`. */
  ping(options: CallOptions = {}): Promise<void> {
    return this.#call("ping Docker daemon", options, async (signal) => {
      await this.#client.ping({ abortSignal: signal });
    });
  }

  /**
   * Runs `argv` (no shell) in a running container.
   * @throws {DockerTimeoutError} Past `timeoutMs`; `killed` tells whether the process was killed.
   * @throws {DockerUnreachableError} When the daemon cannot be reached.
   * @throws {DockerApiError} E.g. 404 no such container, 409 container not running.
   */
  async exec(
    container: string,
    argv: readonly string[],
    options: ExecOptions = {},
  ): Promise<ExecResult> {
    if (argv.length === 0 || argv.some((a) => typeof a !== "string" || a.includes("\0"))) {
      throw new TypeError(
        `Cannot exec in container: expected non-empty argv of strings without NUL, got "${
          JSON.stringify(argv)
        }"`,
      );
    }
    const operation = `exec ${JSON.stringify(argv[0])} in container ${JSON.stringify(container)}`;
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    const deadline = new Deadline(timeoutMs, options.signal);
    let handle: EngineExecHandle | undefined;
    let socket: HijackedConnection | undefined;
    try {
      handle = await deadline.race(
        this.#client.getContainer(container).exec({
          Cmd: [...argv],
          AttachStdin: options.stdin !== undefined,
          AttachStdout: true,
          AttachStderr: true,
          Tty: false,
          ...(options.user ? { User: options.user } : {}),
          ...(options.workingDir ? { WorkingDir: options.workingDir } : {}),
          ...(options.env ? { Env: [...options.env] } : {}),
          abortSignal: deadline.signal,
        }),
      );
      socket = await deadline.race(
        handle.start({
          hijack: true,
          stdin: options.stdin !== undefined,
          abortSignal: deadline.signal,
        }),
      );
      const open = socket;
      const output = collectOutput(open);
      const writing = options.stdin === undefined
        ? Promise.resolve()
        : writeStdin(open, options.stdin);
      // Once the output ends the process has closed stdout and stderr; stdin it
      // did not read would otherwise wait on a write that never completes.
      const outputDone = output.then(() => open.close());
      const [{ stdout, stderr }] = await deadline.race(Promise.all([output, writing, outputDone]));
      const exitCode = await this.#waitForExit(handle, deadline);
      return { exitCode, stdout, stderr };
    } catch (e) {
      socket?.close();
      if (deadline.signal.aborted) {
        const killed = handle ? await this.#killExec(handle, argv) : false;
        if (deadline.timedOut) throw new DockerTimeoutError(timeoutMs, { operation, killed });
        throw deadline.signal.reason;
      }
      throw toDockerError(e, { operation, endpoint: this.endpoint });
    } finally {
      deadline.clear();
    }
  }

  /** Inspects a container by id or name; undefined when there is none. */
  inspectContainer(
    container: string,
    options: CallOptions = {},
  ): Promise<ContainerDetails | undefined> {
    return this.#call(`inspect container ${JSON.stringify(container)}`, options, async (signal) => {
      try {
        return containerDetails(
          await this.#client.getContainer(container).inspect({ abortSignal: signal }),
        );
      } catch (e) {
        if ((e as EngineFailure).statusCode === 404) return undefined;
        throw e;
      }
    });
  }

  /** Lists containers (stopped ones too unless `all: false`), filtered by labels. */
  listContainers(options: ListContainersOptions = {}): Promise<ContainerSummary[]> {
    return this.#call("list containers", options, async (signal) => {
      const rows = await this.#client.listContainers({
        all: options.all ?? true,
        filters: JSON.stringify({ label: labelFilter(options.labels) }),
        abortSignal: signal,
      });
      return rows.map(containerSummary);
    });
  }

  /** Creates (does not start) a container; returns its id. */
  createContainer(options: CreateContainerOptions): Promise<string> {
    const networkMode = options.networkMode ?? "none";
    const body = {
      ...(options.name ? { name: options.name } : {}),
      Image: options.image,
      ...(options.cmd ? { Cmd: [...options.cmd] } : {}),
      ...(options.entrypoint ? { Entrypoint: [...options.entrypoint] } : {}),
      Env: [...options.env ?? []],
      Labels: { ...options.labels },
      ...(options.hostname ? { Hostname: options.hostname } : {}),
      ...(options.user ? { User: options.user } : {}),
      ...(options.workingDir ? { WorkingDir: options.workingDir } : {}),
      ...(options.macAddress ? { MacAddress: options.macAddress } : {}),
      HostConfig: {
        NetworkMode: networkMode,
        Init: options.init ?? false,
        CapAdd: [...options.capAdd ?? []],
        ...(options.dns?.length ? { Dns: [...options.dns] } : {}),
        ...(options.cgroupns ? { CgroupnsMode: options.cgroupns } : {}),
        RestartPolicy: { Name: options.restartPolicy ?? "no" },
        ...(options.mounts?.length
          ? {
            Mounts: options.mounts.map((m) => ({
              Type: m.type,
              Source: m.source,
              Target: m.target,
              ReadOnly: m.readOnly ?? false,
            })),
          }
          : {}),
        ...(options.limits?.nanoCpus ? { NanoCpus: options.limits.nanoCpus } : {}),
        ...(options.limits?.memoryBytes ? { Memory: options.limits.memoryBytes } : {}),
        ...(options.limits?.pidsLimit ? { PidsLimit: options.limits.pidsLimit } : {}),
      },
      ...(options.ipv4Address
        ? {
          NetworkingConfig: {
            EndpointsConfig: {
              [networkMode]: { IPAMConfig: { IPv4Address: options.ipv4Address } },
            },
          },
        }
        : {}),
    };
    const what = options.name ?? options.image;
    return this.#call(`create container ${JSON.stringify(what)}`, options, async (signal) => {
      const created = await this.#client.createContainer({ ...body, abortSignal: signal });
      return created.id;
    });
  }

  /** Starts a container; one already running is left as is. */
  startContainer(container: string, options: CallOptions = {}): Promise<void> {
    return this.#call(`start container ${JSON.stringify(container)}`, options, async (signal) => {
      await ignoreNotModified(this.#client.getContainer(container).start({ abortSignal: signal }));
    });
  }

  /** Stops a container (SIGTERM, then SIGKILL after `graceSeconds`); a stopped one is fine. */
  stopContainer(container: string, options: StopContainerOptions = {}): Promise<void> {
    const grace = options.graceSeconds ?? 2;
    // The daemon needs up to `grace` seconds before it kills, so the limit covers that.
    const timeoutMs = options.timeoutMs ?? Math.max(this.#timeoutMs, grace * 1000 + 5_000);
    const what = `stop container ${JSON.stringify(container)}`;
    return this.#call(what, { ...options, timeoutMs }, async (signal) => {
      await ignoreNotModified(
        this.#client.getContainer(container).stop({ t: grace, abortSignal: signal }),
      );
    });
  }

  /** Removes a container (`force` kills it first if running). */
  removeContainer(container: string, options: RemoveContainerOptions = {}): Promise<void> {
    return this.#call(`remove container ${JSON.stringify(container)}`, options, async (signal) => {
      await this.#client.getContainer(container).remove({
        force: options.force ?? false,
        abortSignal: signal,
      });
    });
  }

  /** Creates a bridge, macvlan or ipvlan network; returns its id. */
  createNetwork(options: CreateNetworkOptions): Promise<string> {
    const driver = options.driver ?? "bridge";
    const driverOptions: Record<string, string> = {};
    if (options.parent) driverOptions.parent = options.parent;
    if (options.mode) driverOptions[`${driver}_mode`] = options.mode;
    const ipam = options.subnet
      ? [{
        Subnet: options.subnet,
        ...(options.gateway ? { Gateway: options.gateway } : {}),
        ...(options.ipRange ? { IPRange: options.ipRange } : {}),
      }]
      : [];
    return this.#call(`create network ${JSON.stringify(options.name)}`, options, async (signal) => {
      const created = await this.#client.createNetwork({
        Name: options.name,
        Driver: driver,
        CheckDuplicate: true,
        Internal: options.internal ?? false,
        Options: driverOptions,
        Labels: { ...options.labels },
        IPAM: { Driver: "default", Config: ipam },
        abortSignal: signal,
      });
      return created.id;
    });
  }

  /** Removes a network by id or name. */
  removeNetwork(network: string, options: CallOptions = {}): Promise<void> {
    return this.#call(`remove network ${JSON.stringify(network)}`, options, async (signal) => {
      await this.#client.getNetwork(network).remove({ abortSignal: signal });
    });
  }

  /** Lists networks, filtered by labels. */
  listNetworks(
    options: CallOptions & { labels?: Record<string, string | true> } = {},
  ): Promise<NetworkSummary[]> {
    return this.#call("list networks", options, async (signal) => {
      const rows = await this.#client.listNetworks({
        filters: JSON.stringify({ label: labelFilter(options.labels) }),
        abortSignal: signal,
      });
      return rows.map(networkSummary);
    });
  }

  /**
   * Imports a rootfs tarball as `repo:tag` (like `docker import`); returns the image id.
   * @throws {DockerApiError} When the daemon rejects the tarball.
   */
  importImage(tarball: ExecStdin, options: ImportImageOptions): Promise<string> {
    const tag = options.tag ?? "latest";
    const what = `import image ${JSON.stringify(`${options.repo}:${tag}`)}`;
    return this.#call(what, options, async (signal) => {
      const progress = await this.#client.importImage(requestBody(tarball), {
        repo: options.repo,
        tag,
        ...(options.changes ? { changes: [...options.changes] } : {}),
        abortSignal: signal,
      });
      return imageIdFromProgress(progress);
    });
  }

  /** Whether an image exists (by name:tag or id). */
  hasImage(image: string, options: CallOptions = {}): Promise<boolean> {
    return this.#call(`inspect image ${JSON.stringify(image)}`, options, async (signal) => {
      try {
        await this.#client.getImage(image).inspect({ abortSignal: signal });
        return true;
      } catch (e) {
        if ((e as EngineFailure).statusCode === 404) return false;
        throw e;
      }
    });
  }

  /** Extracts a tar archive into a container (created or running) at `path`. */
  copyToContainer(
    container: string,
    tarball: ExecStdin,
    options: CallOptions & { path: string },
  ): Promise<void> {
    const what = `copy into container ${JSON.stringify(container)}`;
    return this.#call(what, options, async (signal) => {
      await this.#client.getContainer(container).putArchive(requestBody(tarball), {
        path: options.path,
        abortSignal: signal,
      });
    });
  }

  /** Inspects an image by name:tag or id; undefined when there is none. */
  inspectImage(image: string, options: CallOptions = {}): Promise<ImageDetails | undefined> {
    return this.#call(`inspect image ${JSON.stringify(image)}`, options, async (signal) => {
      try {
        return imageDetails(await this.#client.getImage(image).inspect({ abortSignal: signal }));
      } catch (e) {
        if ((e as EngineFailure).statusCode === 404) return undefined;
        throw e;
      }
    });
  }

  /** A container's log so far, stdout and stderr apart (non-TTY containers). */
  containerLogs(
    container: string,
    options: ContainerLogsOptions = {},
  ): Promise<{ stdout: Uint8Array; stderr: Uint8Array }> {
    return this.#call(`read logs of ${JSON.stringify(container)}`, options, async (signal) => {
      const raw = await this.#client.getContainer(container).logs({
        stdout: true,
        stderr: true,
        follow: false,
        ...(options.since ? { since: options.since } : {}),
        abortSignal: signal,
      });
      const chunks = { stdout: [] as Uint8Array[], stderr: [] as Uint8Array[] };
      const demuxer = new FrameDemuxer((stream, bytes) => chunks[stream].push(bytes));
      demuxer.push(raw);
      demuxer.finish();
      return { stdout: concatBytes(chunks.stdout), stderr: concatBytes(chunks.stderr) };
    });
  }

  /** Nothing to release (each request has its own connection); here for `await using`. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Follows a container's log (`docker logs -f -t --since`); the
   * connection is read only as fast as the consumer takes entries, so memory stays bounded.
   * @throws {DockerApiError} E.g. 404 no such container.
   */
  async *followLogs(container: string, options: FollowLogsOptions = {}): AsyncIterable<LogEntry> {
    const stream = await this.#call(
      `follow logs of container ${JSON.stringify(container)}`,
      { timeoutMs: options.timeoutMs, signal: options.signal },
      // The deadline bounds opening the stream, never following it.
      (signal) =>
        this.#client.getContainer(container).logs({
          follow: true,
          stdout: true,
          stderr: options.stderr ?? false,
          timestamps: true,
          ...(options.since ? { since: dockerSince(options.since) } : {}),
          abortSignal: signal,
        }),
    );
    const queue: LogEntry[] = [];
    const decoder = new TextDecoder();
    const demuxer = new FrameDemuxer((_channel, bytes) => {
      const text = decoder.decode(bytes);
      const space = text.indexOf(" ");
      queue.push({ time: text.slice(0, space), text: text.slice(space + 1) });
    });
    const onAbort = () => stream.close();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (options.signal?.aborted) stream.close();
    // Pulled chunk by chunk: nothing more is read while the consumer is behind.
    const chunks = stream[Symbol.asyncIterator]();
    try {
      for (;;) {
        let next: IteratorResult<Uint8Array>;
        try {
          next = await chunks.next();
        } catch (e) {
          if (options.signal?.aborted) return;
          throw toDockerError(e, { operation: "follow logs", endpoint: this.endpoint });
        }
        if (next.done) return;
        demuxer.push(next.value);
        while (queue.length > 0) yield queue.shift()!;
      }
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
      stream.close();
    }
  }

  async #call<T>(
    operation: string,
    options: CallOptions,
    run: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    const deadline = new Deadline(timeoutMs, options.signal);
    try {
      return await deadline.race(run(deadline.signal));
    } catch (e) {
      if (deadline.timedOut) throw new DockerTimeoutError(timeoutMs, { operation });
      if (deadline.signal.aborted) throw deadline.signal.reason;
      throw toDockerError(e, { operation, endpoint: this.endpoint });
    } finally {
      deadline.clear();
    }
  }

  async #waitForExit(handle: EngineExecHandle, deadline: Deadline): Promise<number> {
    // The output stream can close a moment before the daemon records the exit code.
    for (let pause = 2;; pause = Math.min(pause * 2, 100)) {
      const info = await deadline.race(handle.inspect({ abortSignal: deadline.signal }));
      if (!info.Running && typeof info.ExitCode === "number") return info.ExitCode;
      await abortableDelay(pause, deadline.signal);
    }
  }

  async #killExec(handle: EngineExecHandle, argv: readonly string[]): Promise<boolean> {
    if (!this.#killHostProcess) return false;
    const check = new Deadline(KILL_CHECK_MS);
    let killedPid = 0;
    try {
      // A start request cut off by the deadline may still start the process a
      // moment later, so poll until it has exited (killing it once it shows a PID).
      for (let pause = 2;; pause = Math.min(pause * 2, 100)) {
        const info = await check.race(handle.inspect({ abortSignal: check.signal }));
        if (!info.Running && typeof info.ExitCode === "number") return true;
        if (info.Running && info.Pid > 0 && info.Pid !== killedPid) {
          if (!await this.#killHostProcess(info.Pid, argv)) return false;
          killedPid = info.Pid;
        }
        await abortableDelay(pause, check.signal);
      }
    } catch {
      // Best effort: the timeout is what we report; not knowing means "not killed".
      return false;
    } finally {
      check.clear();
    }
  }
}

/** Docker's `since` takes Unix seconds with up to nine decimals; RFC 3339 carries them. */
function dockerSince(time: string): string {
  const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(time);
  if (!match) throw new RangeError(`Cannot follow logs since "${time}": expected RFC 3339`);
  const seconds = Math.floor(Date.parse(`${match[1]}${match[3]}`) / 1000);
  return `${seconds}.${(match[2] ?? "").padEnd(9, "0")}`;
}

async function collectOutput(
  socket: HijackedConnection,
): Promise<{ stdout: Uint8Array; stderr: Uint8Array }> {
  const chunks = { stdout: [] as Uint8Array[], stderr: [] as Uint8Array[] };
  const demuxer = new FrameDemuxer((stream, bytes) => chunks[stream].push(bytes));
  const collected = () => ({
    stdout: concatBytes(chunks.stdout),
    stderr: concatBytes(chunks.stderr),
  });
  try {
    for await (const chunk of socket.output) demuxer.push(chunk);
  } catch {
    // A process that exits before reading all of stdin makes the daemon close the
    // connection under our writes (EPIPE/ECONNRESET), and a timed-out exec has it closed
    // by us: the output is complete, or the exit code (or an unreachable daemon) is
    // settled by the inspect after.
    return collected();
  }
  try {
    demuxer.finish();
  } catch (e) {
    throw new DockerError(`Cannot read exec output: ${(e as Error).message}`, { cause: e });
  }
  return collected();
}

async function writeStdin(socket: HijackedConnection, stdin: ExecStdin): Promise<void> {
  for await (
    const chunk of typeof stdin === "string"
      ? [new TextEncoder().encode(stdin)]
      : stdin instanceof Uint8Array
      ? [stdin]
      : stdin
  ) {
    if (chunk.length === 0) continue;
    try {
      await socket.write(chunk);
    } catch {
      // The connection closed: the process ended (or the exec was cut off); the output
      // and the inspect after say which.
      return;
    }
  }
  try {
    await socket.closeWrite();
  } catch {
    // Closed already, as above.
  }
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

async function ignoreNotModified(promise: Promise<unknown>): Promise<void> {
  try {
    await promise;
  } catch (e) {
    if ((e as EngineFailure).statusCode !== 304) throw e;
  }
}

/** A body for the API: strings as UTF-8, bytes and streams as they are. */
function requestBody(body: ExecStdin): Uint8Array | AsyncIterable<Uint8Array> {
  return typeof body === "string" ? new TextEncoder().encode(body) : body;
}

function imageIdFromProgress(text: string): string {
  // The body is a series of JSON objects; the last status is the image id.
  let id = "";
  for (const match of text.matchAll(/\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}/g)) {
    const message = JSON.parse(match[0]) as { status?: string; error?: string };
    if (message.error) {
      throw new DockerError(`Cannot import image: ${message.error}`);
    }
    if (message.status?.startsWith("sha256:")) id = message.status.trim();
  }
  if (!id) throw new DockerError(`Cannot import image: no image id in reply, got "${text}"`);
  return id;
}
