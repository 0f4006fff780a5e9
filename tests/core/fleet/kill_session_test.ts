import assert from "node:assert/strict";
import type { ExecStdin, ListContainersOptions } from "../../../core/docker/mod.ts";
import { killSession } from "../../../core/fleet/kill_session.ts";
import { Logger } from "../../../core/log/mod.ts";

const SESSION = "0b9e6c1e-5d7a-4c1b-9a55-1f0f2d3c4b5a";

/** Docker with one running sensor container; records what is copied in. */
function fakeDocker(options: { sensors: string[]; refuse?: boolean }) {
  const copies: { container: string; path: string; tar: Uint8Array }[] = [];
  const queries: ListContainersOptions[] = [];
  return {
    copies,
    queries,
    listContainers(query?: ListContainersOptions) {
      queries.push(query ?? {});
      return Promise.resolve(
        options.sensors.map((id) => ({
          id,
          names: [id],
          image: "x",
          labels: {},
          state: "running",
        })),
      );
    },
    async copyToContainer(container: string, tarball: ExecStdin, o: { path: string }) {
      if (options.refuse) throw new Error("Docker said no");
      const parts: Uint8Array[] = [];
      for await (const chunk of tarball as AsyncIterable<Uint8Array>) parts.push(chunk);
      copies.push({ container, path: o.path, tar: Uint8Array.from(parts.flatMap((p) => [...p])) });
    },
  };
}

const log = new Logger({ level: "error", sink: () => {} });

Deno.test("killSession() drops kill-<session> into the running sensor's control folder", async () => {
  const docker = fakeDocker({ sensors: ["c-sensor"] });
  const result = await killSession("ws-01", SESSION, { docker, hostUuid: "local", log });
  assert.deepEqual(result, { decky: "ws-01", session: SESSION, status: "requested" });
  assert.deepEqual(docker.queries[0], {
    labels: {
      "lan.fleet.managed": "true",
      "lan.fleet.host": "local",
      "lan.fleet.decky": "ws-01",
      "lan.fleet.role": "sensor",
    },
    all: false,
  });
  assert.equal(docker.copies.length, 1);
  assert.equal(docker.copies[0].container, "c-sensor");
  assert.equal(docker.copies[0].path, "/run/netd");
  const name = new TextDecoder().decode(docker.copies[0].tar.subarray(0, 100)).replace(
    /\0.*$/s,
    "",
  );
  assert.equal(name, `kill-${SESSION}`);
});

Deno.test("killSession() says absent when the decky runs no sensor, failed when Docker refuses", async () => {
  assert.equal(
    (await killSession("ws-01", SESSION, {
      docker: fakeDocker({ sensors: [] }),
      hostUuid: "local",
      log,
    }))
      .status,
    "absent",
  );
  const refused = await killSession("ws-01", SESSION, {
    docker: fakeDocker({ sensors: ["c"], refuse: true }),
    hostUuid: "local",
    log,
  });
  assert.equal(refused.status, "failed");
  assert.match(refused.error!, /Docker said no/);
});

Deno.test("killSession() refuses a session id that could name another file", async () => {
  const docker = fakeDocker({ sensors: ["c"] });
  for (const bad of ["../x", "a/b", "", "x".repeat(65)]) {
    await assert.rejects(
      killSession("ws-01", bad, { docker, hostUuid: "local", log }),
      /Cannot kill session: session expected/,
    );
  }
  assert.equal(docker.copies.length, 0);
});
