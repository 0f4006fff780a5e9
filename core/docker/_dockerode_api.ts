// The slice of dockerode's API that DockerodeClient uses, typed by us (dockerode
// ships no types): depending on this small interface keeps the library swappable
// and lets tests pass a fake.
import type { Duplex, Readable } from "node:stream";

/** Error shape dockerode/docker-modem reject with. */
export interface DockerodeFailure {
  statusCode?: number;
  code?: string;
  json?: { message?: string } | null;
  message?: string;
}

export type QueryOptions = Record<string, unknown> & { abortSignal?: AbortSignal };

export interface DockerodeExecHandle {
  id: string;
  start(options: QueryOptions & { hijack: true; stdin: boolean }): Promise<Duplex>;
  inspect(options?: QueryOptions): Promise<{
    Running: boolean;
    ExitCode: number | null;
    Pid: number;
  }>;
}

export interface DockerodeContainerHandle {
  id: string;
  exec(options: QueryOptions): Promise<DockerodeExecHandle>;
  inspect(options?: QueryOptions): Promise<Record<string, unknown>>;
  start(options?: QueryOptions): Promise<unknown>;
  stop(options?: QueryOptions): Promise<unknown>;
  remove(options?: QueryOptions): Promise<unknown>;
  putArchive(file: Readable | Uint8Array, options: QueryOptions): Promise<unknown>;
  /** With `follow`, a live stream of multiplexed frames. */
  logs(options: QueryOptions & { follow: true }): Promise<Readable>;
  /** Without `follow`, the whole log as one buffer of multiplexed frames. */
  logs(options?: QueryOptions): Promise<Uint8Array>;
}

export interface DockerodeApi {
  ping(options?: QueryOptions): Promise<unknown>;
  getContainer(id: string): DockerodeContainerHandle;
  getExec(id: string): DockerodeExecHandle;
  listContainers(options?: QueryOptions): Promise<Record<string, unknown>[]>;
  createContainer(options: QueryOptions): Promise<{ id: string }>;
  createNetwork(options: QueryOptions): Promise<{ id: string }>;
  getNetwork(id: string): { remove(options?: QueryOptions): Promise<unknown> };
  listNetworks(options?: QueryOptions): Promise<Record<string, unknown>[]>;
  importImage(file: Readable | Uint8Array, options: QueryOptions): Promise<Readable>;
  getImage(name: string): { inspect(options?: QueryOptions): Promise<Record<string, unknown>> };
}
