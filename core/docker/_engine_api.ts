// The Engine API endpoints decnet calls, over decnet's own HTTP/1.1 client
// (_engine_http.ts): the same requests dockerode made (unversioned paths, the same
// query parameters and JSON bodies), without its dependencies, which cost every
// isolate holding a Docker client ~37 MiB.
import type { DockerEndpoint } from "./docker_endpoint.ts";
import type {
  ByteStream,
  EngineApiCalls,
  EngineContainerHandle,
  EngineExecHandle,
  HijackedConnection,
  QueryOptions,
} from "./_engine_api_calls.ts";
import { type EngineRequest, engineRequest, readAll, writeAll } from "./_engine_http.ts";

const decoder = new TextDecoder();

/** {@linkcode EngineApiCalls} over HTTP/1.1 to the daemon at `endpoint`, one connection per call. */
export class EngineApi implements EngineApiCalls {
  readonly #endpoint: DockerEndpoint;

  constructor(endpoint: DockerEndpoint) {
    this.#endpoint = endpoint;
  }

  async ping(options: QueryOptions = {}): Promise<string> {
    return decoder.decode(await this.#bytes("GET", "/_ping", options));
  }

  getContainer(id: string): EngineContainerHandle {
    const path = `/containers/${encodeURIComponent(id)}`;
    const logs = (options: QueryOptions = {}) => this.#logs(path, options);
    return {
      id,
      exec: async (options) => {
        const created = await this.#json<{ Id: string }>("POST", `${path}/exec`, options, {
          json: withoutSignal(options),
        });
        return this.getExec(created.Id);
      },
      inspect: (options = {}) => this.#json("GET", `${path}/json`, options),
      start: (options = {}) => this.#bytes("POST", `${path}/start`, options),
      stop: (options = {}) => this.#bytes("POST", `${path}/stop${query(options)}`, options),
      remove: (options = {}) => this.#bytes("DELETE", `${path}${query(options)}`, options),
      putArchive: (file, options) =>
        this.#bytes("PUT", `${path}/archive${query(options)}`, options, { tar: file }),
      logs: logs as EngineContainerHandle["logs"],
    };
  }

  getExec(id: string): EngineExecHandle {
    const path = `/exec/${encodeURIComponent(id)}`;
    return {
      id,
      start: async (options) => {
        const response = await engineRequest(this.#endpoint, {
          method: "POST",
          path: `${path}/start`,
          json: { Detach: false, Tty: false },
          upgrade: true,
          signal: options.abortSignal,
        });
        const { conn } = response;
        const hijacked: HijackedConnection = {
          output: response.body,
          write: (bytes) => writeAll(conn, bytes),
          closeWrite: () => conn.closeWrite(),
          close: response.close,
        };
        return hijacked;
      },
      inspect: (options = {}) => this.#json("GET", `${path}/json`, options),
    };
  }

  listContainers(options: QueryOptions = {}): Promise<Record<string, unknown>[]> {
    return this.#json("GET", `/containers/json${query(options)}`, options);
  }

  async createContainer(options: QueryOptions): Promise<{ id: string }> {
    const { name, ...body } = withoutSignal(options);
    const path = `/containers/create${query({ name })}`;
    const created = await this.#json<{ Id: string }>("POST", path, options, { json: body });
    return { id: created.Id };
  }

  async createNetwork(options: QueryOptions): Promise<{ id: string }> {
    const created = await this.#json<{ Id: string }>("POST", "/networks/create", options, {
      json: withoutSignal(options),
    });
    return { id: created.Id };
  }

  getNetwork(id: string): { remove(options?: QueryOptions): Promise<unknown> } {
    const path = `/networks/${encodeURIComponent(id)}`;
    return { remove: (options = {}) => this.#bytes("DELETE", path, options) };
  }

  listNetworks(options: QueryOptions = {}): Promise<Record<string, unknown>[]> {
    return this.#json("GET", `/networks${query(options)}`, options);
  }

  async importImage(
    file: AsyncIterable<Uint8Array> | Uint8Array,
    options: QueryOptions,
  ): Promise<string> {
    const path = `/images/create${query({ fromSrc: "-", ...options })}`;
    return decoder.decode(await this.#bytes("POST", path, options, { tar: file }));
  }

  getImage(name: string): { inspect(options?: QueryOptions): Promise<Record<string, unknown>> } {
    // Slashes stay (a repository path); the daemon routes `/images/{name:.*}/json`.
    const path = `/images/${name.split("/").map(encodeURIComponent).join("/")}/json`;
    return { inspect: (options = {}) => this.#json("GET", path, options) };
  }

  async #logs(path: string, options: QueryOptions): Promise<ByteStream | Uint8Array> {
    const request: EngineRequest = {
      method: "GET",
      path: `${path}/logs${query(options)}`,
      signal: options.abortSignal,
    };
    const response = await engineRequest(this.#endpoint, request);
    if (!options.follow) {
      return await readAll(response.body, { signal: request.signal, close: response.close });
    }
    return {
      [Symbol.asyncIterator]: () => response.body[Symbol.asyncIterator](),
      close: response.close,
    };
  }

  async #bytes(
    method: EngineRequest["method"],
    path: string,
    options: QueryOptions,
    body: Pick<EngineRequest, "json" | "tar"> = {},
  ): Promise<Uint8Array> {
    const signal = options.abortSignal;
    const response = await engineRequest(this.#endpoint, { method, path, signal, ...body });
    return await readAll(response.body, { signal, close: response.close });
  }

  async #json<T = Record<string, unknown>>(
    method: EngineRequest["method"],
    path: string,
    options: QueryOptions,
    body: Pick<EngineRequest, "json" | "tar"> = {},
  ): Promise<T> {
    return JSON.parse(decoder.decode(await this.#bytes(method, path, options, body))) as T;
  }
}

function withoutSignal(options: QueryOptions): Record<string, unknown> {
  const { abortSignal: _, ...rest } = options;
  return rest;
}

/** `?a=1&b=x&b=y` from options: arrays repeat the key, objects go as JSON (as dockerode sent them). */
function query(options: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(withoutSignal(options))) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      params.append(key, v !== null && typeof v === "object" ? JSON.stringify(v) : String(v));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}
