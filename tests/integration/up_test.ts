import assert from "node:assert/strict";
import { spawnDecnet } from "../infra/spawn_decnet.ts";
import { waitUntil } from "../infra/wait_until.ts";

Deno.test("decnet up starts with embedded defaults, prints where to log in, and stops on SIGTERM", async () => {
  const cwd = await Deno.makeTempDir({ prefix: "up-" });
  try {
    await using proc = spawnDecnet(["up"], {
      cwd,
      env: { DECNET_API_PORT: "0", DECNET_CANARY_HTTP_PORT: "0", DECNET_CANARY_DNS_PORT: "0" },
    });
    const [, password] = await proc.waitForLine(/password "([^"]+)"/);
    const [, url] = await proc.waitForLine(/listening on (http:\/\/\S+)/);
    // The API may print before its peers have reported (503 "degraded" until then).
    await waitUntil(async () => {
      const health = await fetch(`${url}/api/v1/health`);
      const body = await health.json();
      return health.status === 200 && body.status === "ok";
    }, { what: "every worker healthy" });
    const login = await fetch(`${url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password }),
    });
    assert.equal(login.status, 200);
    const { access_token } = await login.json();
    const auth = { authorization: `Bearer ${access_token}` };
    const me = await fetch(`${url}/api/v1/auth/me`, { headers: auth });
    assert.equal((await me.json()).role, "admin");
    const workers = async () =>
      (await (await fetch(`${url}/api/v1/workers`, { headers: auth })).json()).items as {
        name: string;
        healthy: boolean;
        state: string;
      }[];
    await waitUntil(async () => (await workers()).filter((w) => w.healthy).length === 7, {
      what: "seven healthy workers",
    });
    assert.deepEqual((await workers()).map((w) => w.name), [
      "alerts",
      "api",
      "canary",
      "clusterer",
      "collector",
      "orchestrator",
      "reconciler",
    ]);
    const stop = await fetch(`${url}/api/v1/workers/orchestrator/stop`, {
      method: "POST",
      headers: auth,
    });
    assert.equal(stop.status, 202);
    await stop.body?.cancel();
    await waitUntil(
      async () => (await workers()).find((w) => w.name === "orchestrator")?.state === "stopped",
      {
        what: "orchestrator stopped",
      },
    );
    const start = await fetch(`${url}/api/v1/workers/orchestrator/start`, {
      method: "POST",
      headers: auth,
    });
    await start.body?.cancel();
    await waitUntil(
      async () => (await workers()).find((w) => w.name === "orchestrator")?.state === "running",
      {
        what: "orchestrator running again",
      },
    );
    const status = await proc.close();
    assert.equal(status.code, 0);
    // The SQLite file and the generated JWT secret live under ./var, private to the owner.
    assert.equal((await Deno.stat(`${cwd}/var/jwt_secret`)).mode! & 0o777, 0o600);
    assert.equal((await Deno.stat(`${cwd}/var/decnet.db`)).mode! & 0o777, 0o600);
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});

Deno.test("decnet up uses DECNET_ADMIN_PASSWORD on first start and never prints it", async () => {
  const cwd = await Deno.makeTempDir({ prefix: "up-" });
  try {
    await using proc = spawnDecnet(["up", "--only", "api"], {
      cwd,
      env: {
        DECNET_API_PORT: "0",
        DECNET_ADMIN_PASSWORD: "operator-chosen-pw",
        DECNET_ADMIN_USER: "root",
      },
    });
    const [, url] = await proc.waitForLine(/listening on (http:\/\/\S+)/);
    const login = await fetch(`${url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "root", password: "operator-chosen-pw" }),
    });
    assert.equal(login.status, 200);
    await login.body?.cancel();
    await proc.close();
    assert.ok(proc.lines.every((l) => !l.includes("operator-chosen-pw")));
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});
