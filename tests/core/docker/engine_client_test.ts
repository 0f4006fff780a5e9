import assert from "node:assert/strict";
import {
  DockerApiError,
  DockerTimeoutError,
  DockerUnreachableError,
  type EngineApiCalls,
  EngineClient,
} from "../../../core/docker/mod.ts";

// A fake Engine API whose every call fails (or hangs) the way a broken daemon connection does.
function failingClient(failure: () => Promise<never>): EngineApiCalls {
  const container = {
    id: "c1",
    exec: failure,
    inspect: failure,
    start: failure,
    stop: failure,
    remove: failure,
    logs: failure,
    putArchive: failure,
  };
  return {
    ping: failure,
    getContainer: () => container,
    getExec: () => ({ id: "e1", start: failure, inspect: failure }),
    listContainers: failure,
    createContainer: failure,
    createNetwork: failure,
    getNetwork: () => ({ remove: failure }),
    listNetworks: failure,
    importImage: failure,
    getImage: () => ({ inspect: failure }),
  };
}

const ENDPOINT = "unix:///run/test.sock";

Deno.test("EngineClient maps socket errors to DockerUnreachableError", async () => {
  const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
  const docker = new EngineClient(failingClient(() => Promise.reject(refused)), {
    endpoint: ENDPOINT,
  });
  await assert.rejects(docker.exec("c1", ["true"]), (e) => {
    assert.ok(e instanceof DockerUnreachableError);
    assert.equal(e.endpoint, ENDPOINT);
    assert.match(e.message, /^Cannot exec "true" in container "c1": Docker daemon unreachable/);
    return true;
  });
  await assert.rejects(docker.listContainers(), DockerUnreachableError);
});

Deno.test("EngineClient maps HTTP error statuses to DockerApiError", async () => {
  const conflict = Object.assign(new Error("(HTTP code 409) unexpected - is not running "), {
    statusCode: 409,
    json: { message: "Container c1 is not running" },
  });
  const docker = new EngineClient(failingClient(() => Promise.reject(conflict)), {
    endpoint: ENDPOINT,
  });
  await assert.rejects(docker.startContainer("c1"), (e) => {
    assert.ok(e instanceof DockerApiError);
    assert.equal(e.status, 409);
    assert.equal(
      e.message,
      'Cannot start container "c1": Container c1 is not running, got "HTTP 409"',
    );
    return true;
  });
});

Deno.test("EngineClient throws DockerTimeoutError when a call hangs past its limit", async () => {
  const docker = new EngineClient(failingClient(() => new Promise<never>(() => {})), {
    endpoint: ENDPOINT,
    timeoutMs: 20,
  });
  await assert.rejects(docker.ping(), (e) => e instanceof DockerTimeoutError && !e.killed);
  await assert.rejects(
    docker.exec("c1", ["sleep", "9"], { timeoutMs: 10 }),
    (e) => e instanceof DockerTimeoutError && e.timeoutMs === 10,
  );
});

Deno.test("EngineClient.exec() rejects an empty argv or NUL bytes", async () => {
  const docker = new EngineClient(failingClient(() => Promise.reject(new Error("unused"))), {
    endpoint: ENDPOINT,
  });
  await assert.rejects(docker.exec("c1", []), TypeError);
  await assert.rejects(docker.exec("c1", ["a\0b"]), TypeError);
});
