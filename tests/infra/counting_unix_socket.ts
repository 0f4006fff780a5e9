/** A unix socket that counts the connections made to it. */
export interface CountingUnixSocket extends AsyncDisposable {
  /** `unix://<path>`, for DOCKER_HOST. */
  url: string;
  /** Connections accepted so far. */
  readonly connections: number;
}

/**
 * Listens on `<dir>/docker.sock`, counts each connection and drops it at
 * once. Pointed at by DOCKER_HOST it shows whether a request reached
 * "Docker" at all, and one that does fails fast instead of waiting for a
 * timeout.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { countingUnixSocket } from "./counting_unix_socket.ts";
 * await using docker = countingUnixSocket(await Deno.makeTempDir());
 * // ... run with DOCKER_HOST=docker.url ...
 * assert.equal(docker.connections, 0);
 * ```
 */
export function countingUnixSocket(dir: string): CountingUnixSocket {
  const listener = Deno.listen({ transport: "unix", path: `${dir}/docker.sock` });
  let connections = 0;
  const accepting = (async () => {
    for await (const conn of listener) {
      connections++;
      conn.close();
    }
  })();
  return {
    url: `unix://${dir}/docker.sock`,
    get connections() {
      return connections;
    },
    async [Symbol.asyncDispose]() {
      listener.close();
      // The loop ends when the listener closes; its end is not an error here.
      await accepting.catch(() => {});
    },
  };
}
