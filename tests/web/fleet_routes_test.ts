import assert from "node:assert/strict";
import { makeTestApp } from "./test_app.ts";

const FLEET =
  "[network]\nsubnet = 192.0.2.0/24\n[decky ws-01]\nservices = ssh\nimage = img:1\nip = 192.0.2.10\n";

Deno.test("GET /api/v1/fleet/deckies lists deckies filtered by state and source", async () => {
  const home = await Deno.makeTempDir();
  await using t = await makeTestApp({ DECNET_HOME: home });
  try {
    const token = await t.login("viewer1", "viewer");
    const base = {
      hostUuid: "local",
      ip: null,
      services: ["ssh"],
      images: { ssh: "img" },
      network: "decoys",
      networkDriver: "bridge",
      osPersona: "linux",
    };
    await t.repos.fleet.upsert({ ...base, name: "a" }, "running");
    await t.repos.fleet.upsert({ ...base, name: "b" }, "degraded");
    const all = await (await t.request("/api/v1/fleet/deckies", { token })).json();
    assert.equal(all.total, 2);
    const keys = [
      "host_uuid",
      "images",
      "ip",
      "name",
      "network",
      "network_driver",
      "os_persona",
      "services",
      "source",
      "state",
      "state_since",
      "uuid",
    ];
    assert.deepEqual(Object.keys(all.items[0]).sort(), keys);
    const degraded = await (await t.request("/api/v1/fleet/deckies?state=degraded", { token }))
      .json();
    assert.deepEqual(degraded.items.map((d: { name: string }) => d.name), ["b"]);
    const shards = await (await t.request("/api/v1/fleet/deckies?source=shard", { token })).json();
    assert.equal(shards.total, 0);
    const bad = await t.request("/api/v1/fleet/deckies?state=sleepy", { token });
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).error.field, "query.state");
    const one = await (await t.request("/api/v1/fleet/deckies/a", { token })).json();
    assert.equal(one.state, "running");
    assert.equal(one.network_driver, "bridge");
    assert.deepEqual(Object.keys(one).sort(), keys, "one shape in the list and alone");
    const missing = await t.request("/api/v1/fleet/deckies/zz", { token });
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("GET /api/v1/fleet/deckies and /fleet narrow the list to one host", async () => {
  const home = await Deno.makeTempDir();
  await using t = await makeTestApp({ DECNET_HOME: home });
  try {
    const token = await t.login("viewer1", "viewer");
    const base = {
      ip: null,
      services: ["ssh"],
      images: { ssh: "img" },
      network: "decoys",
      networkDriver: "bridge",
      osPersona: "linux",
    };
    await t.repos.fleet.upsert({ ...base, hostUuid: "local", name: "web-m" }, "running");
    await t.repos.fleet.upsert({ ...base, hostUuid: "dmz-1", name: "web-a" }, "running");
    const one = await (await t.request("/api/v1/fleet/deckies?host=dmz-1", { token })).json();
    assert.deepEqual(one.items.map((d: { name: string }) => d.name), ["web-a"]);
    assert.equal(one.total, 1);
    const none = await (await t.request("/api/v1/fleet/deckies?host=nobody", { token })).json();
    assert.equal(none.total, 0);
    const page = async (path: string) =>
      await (await t.request(path, { headers: { cookie: `session=${token}` } })).text();
    const narrowed = await page("/fleet?host=dmz-1");
    assert.match(narrowed, /web-a/);
    assert.doesNotMatch(narrowed, /web-m/);
    assert.match(narrowed, /<option value="dmz-1" selected/);
    const whole = await page("/fleet");
    assert.match(whole, /web-a/);
    assert.match(whole, /web-m/);
    const bad = await t.request(`/fleet?host=${"x".repeat(129)}`, {
      headers: { cookie: `session=${token}` },
    });
    assert.equal(bad.status, 400);
    await bad.body?.cancel();
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("POST /api/v1/fleet/deploy validates the fleet file and plans a dry run", async (t) => {
  const home = await Deno.makeTempDir();
  await using app = await makeTestApp({ DECNET_HOME: home });
  try {
    const admin = await app.login("admin", "admin");
    const viewer = await app.login("viewer1", "viewer");
    await t.step("viewers are refused", async () => {
      const res = await app.request("/api/v1/fleet/deploy", {
        method: "POST",
        token: viewer,
        json: { config: FLEET },
      });
      assert.equal(res.status, 403);
      await res.body?.cancel();
    });
    await t.step("a bad fleet file is a 400 naming the line and key", async () => {
      const res = await app.request("/api/v1/fleet/deploy", {
        method: "POST",
        token: admin,
        json: { config: FLEET.replace("ip = 192.0.2.10", "ip = 10.0.0.1") },
      });
      assert.equal(res.status, 400);
      const body = await res.json();
      assert.equal(body.error.field, "body.config");
      assert.match(body.error.message, /line 6, key "ip"/);
    });
    await t.step("a decky on a swarm host is a 400: the CLI deploys those", async () => {
      const res = await app.request("/api/v1/fleet/deploy", {
        method: "POST",
        token: admin,
        json: { config: FLEET.replace("ip = 192.0.2.10", "ip = 192.0.2.10\nhost = dmz-1") },
      });
      assert.equal(res.status, 400);
      const body = await res.json();
      assert.equal(body.error.field, "body.config");
      assert.equal(
        body.error.message,
        "Cannot deploy on swarm hosts through the API: use decnet deploy, got host dmz-1",
      );
    });
    await t.step("dry_run plans without Docker", async () => {
      const res = await app.request("/api/v1/fleet/deploy", {
        method: "POST",
        token: admin,
        json: { config: FLEET, dry_run: true },
      });
      assert.equal(res.status, 200);
      const body = await res.json();
      assert.deepEqual(body.items[0], {
        name: "ws-01",
        status: "planned",
        state: null,
        ip: "192.0.2.10",
        containers: ["ws-01", "ws-01-ssh"],
      });
    });
    await t.step("Docker unreachable is a 503 and nothing is recorded", async () => {
      const res = await app.request("/api/v1/fleet/deploy", {
        method: "POST",
        token: admin,
        json: { config: FLEET },
      });
      assert.equal(res.status, 503);
      assert.equal((await res.json()).error.code, "docker_unavailable");
      assert.deepEqual(await app.repos.fleet.list(), []);
      const del = await app.request("/api/v1/fleet/deckies/ws-01", {
        method: "DELETE",
        token: admin,
      });
      assert.equal(del.status, 503);
      await del.body?.cancel();
    });
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("POST /api/v1/fleet/deckies/{name}/revert is for admins and in the OpenAPI document", async (t) => {
  const home = await Deno.makeTempDir();
  await using app = await makeTestApp({ DECNET_HOME: home, DOCKER_HOST: "unix:///nonexistent" });
  try {
    const admin = await app.login("admin1", "admin");
    const viewer = await app.login("viewer1", "viewer");
    await t.step("viewers are refused", async () => {
      const res = await app.request("/api/v1/fleet/deckies/ws-01/revert", {
        method: "POST",
        token: viewer,
      });
      assert.equal(res.status, 403);
      await res.body?.cancel();
    });
    await t.step("a name that cannot be a decky is a 400", async () => {
      const res = await app.request("/api/v1/fleet/deckies/Bad%20Name/revert", {
        method: "POST",
        token: admin,
      });
      assert.equal(res.status, 400);
      await res.body?.cancel();
    });
    await t.step("Docker unreachable is a 502 naming the decky", async () => {
      const res = await app.request("/api/v1/fleet/deckies/ws-01/revert", {
        method: "POST",
        token: admin,
      });
      assert.equal(res.status, 502);
      assert.match((await res.json()).error.message, /Cannot revert ws-01/);
    });
    await t.step("listed in the OpenAPI document", async () => {
      const doc = await (await app.request("/api/v1/openapi.json", { token: viewer })).json();
      assert.ok(doc.paths["/api/v1/fleet/deckies/{name}/revert"]?.post);
    });
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("POST /api/v1/fleet/deckies/{name}/sessions/{session}/kill is for admins and in the OpenAPI document", async (t) => {
  const home = await Deno.makeTempDir();
  await using app = await makeTestApp({ DECNET_HOME: home, DOCKER_HOST: "unix:///nonexistent" });
  const path = "/api/v1/fleet/deckies/ws-01/sessions/0b9e6c1e-5d7a-4c1b-9a55-1f0f2d3c4b5a/kill";
  try {
    const admin = await app.login("admin1", "admin");
    const viewer = await app.login("viewer1", "viewer");
    await t.step("viewers are refused", async () => {
      const res = await app.request(path, { method: "POST", token: viewer });
      assert.equal(res.status, 403);
      await res.body?.cancel();
    });
    await t.step("a session id that could name another file is a 400", async () => {
      const res = await app.request("/api/v1/fleet/deckies/ws-01/sessions/a.b/kill", {
        method: "POST",
        token: admin,
      });
      assert.equal(res.status, 400);
      assert.equal((await res.json()).error.field, "path.session");
    });
    await t.step("Docker unreachable is a 502 naming the decky", async () => {
      const res = await app.request(path, { method: "POST", token: admin });
      assert.equal(res.status, 502);
      assert.match((await res.json()).error.message, /Cannot kill session on ws-01/);
    });
    await t.step("listed in the OpenAPI document", async () => {
      const doc = await (await app.request("/api/v1/openapi.json", { token: viewer })).json();
      assert.ok(doc.paths["/api/v1/fleet/deckies/{name}/sessions/{session}/kill"]?.post);
    });
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
