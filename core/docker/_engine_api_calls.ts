// The slice of the Docker Engine API that EngineClient uses; `EngineApi`
// implements it over decnet's own HTTP client. Depending on this small interface
// lets tests pass a fake.

/** Error shape the API rejects with: an HTTP status, or a socket error's code. */
export interface EngineFailure {
  statusCode?: number;
  code?: string;
  json?: { message?: string } | null;
  message?: string;
}

/** Query parameters (arrays repeat, objects go as JSON), and the call's abort signal. */
export type QueryOptions = Record<string, unknown> & { abortSignal?: AbortSignal };

/** A reply body read as it arrives; `close()` ends it early (a pending read then fails). */
export interface ByteStream extends AsyncIterable<Uint8Array> {
  close(): void;
}

/**
 * An exec's hijacked connection: the process's stdin one way, its multiplexed
 * stdout and stderr frames (`output`) the other.
 */
export interface HijackedConnection {
  output: AsyncIterable<Uint8Array>;
  /** Resolves once the bytes are handed to the socket (backpressure). */
  write(bytes: Uint8Array): Promise<void>;
  /** Half-closes the connection: the process reads end of file on stdin. */
  closeWrite(): Promise<void>;
  /** Closes both ways; pending reads and writes then fail. Idempotent. */
  close(): void;
}

export interface EngineExecHandle {
  id: string;
  /** The `abortSignal` bounds opening the connection; the caller closes it after. */
  start(options: QueryOptions & { hijack: true; stdin: boolean }): Promise<HijackedConnection>;
  inspect(options?: QueryOptions): Promise<{
    Running: boolean;
    ExitCode: number | null;
    Pid: number;
  }>;
}

export interface EngineContainerHandle {
  id: string;
  exec(options: QueryOptions): Promise<EngineExecHandle>;
  inspect(options?: QueryOptions): Promise<Record<string, unknown>>;
  start(options?: QueryOptions): Promise<unknown>;
  stop(options?: QueryOptions): Promise<unknown>;
  remove(options?: QueryOptions): Promise<unknown>;
  putArchive(file: AsyncIterable<Uint8Array> | Uint8Array, options: QueryOptions): Promise<unknown>;
  /**
   * With `follow`, a live stream of multiplexed frames; the `abortSignal` bounds opening it,
   * `close()` ends it.
   */
  logs(options: QueryOptions & { follow: true }): Promise<ByteStream>;
  /** Without `follow`, the whole log as one buffer of multiplexed frames. */
  logs(options?: QueryOptions): Promise<Uint8Array>;
}

export interface EngineApiCalls {
  ping(options?: QueryOptions): Promise<unknown>;
  getContainer(id: string): EngineContainerHandle;
  getExec(id: string): EngineExecHandle;
  listContainers(options?: QueryOptions): Promise<Record<string, unknown>[]>;
  createContainer(options: QueryOptions): Promise<{ id: string }>;
  createNetwork(options: QueryOptions): Promise<{ id: string }>;
  getNetwork(id: string): { remove(options?: QueryOptions): Promise<unknown> };
  listNetworks(options?: QueryOptions): Promise<Record<string, unknown>[]>;
  /** Resolves with the daemon's progress messages (JSON objects, one after another). */
  importImage(file: AsyncIterable<Uint8Array> | Uint8Array, options: QueryOptions): Promise<string>;
  getImage(name: string): { inspect(options?: QueryOptions): Promise<Record<string, unknown>> };
}
