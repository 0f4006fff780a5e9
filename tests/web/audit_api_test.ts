import assert from "node:assert/strict";
import type { AuditPayload, BusMessage } from "../../core/bus/mod.ts";
import { waitUntil } from "../infra/wait_until.ts";
import { makeTestApp } from "./test_app.ts";
import { runningWorker } from "./_running_worker.ts";

type Entry = AuditPayload;

Deno.test("operator actions through the API land in the audit log, failures included", async () => {
  await using t = await makeTestApp({
    DECNET_CANARY_HTTP_BASE: "http://192.0.2.10:8088",
    DECNET_CANARY_ALLOW_LOCAL: "true",
  });
  const admin = await t.login("alice", "admin");
  const add = await t.request("/api/v1/users", {
    method: "POST",
    token: admin,
    json: { username: "vera", password: "a-long-unusual-passphrase", role: "viewer" },
    ip: "192.0.2.44",
  });
  assert.equal(add.status, 201);
  await add.body?.cancel();
  const dup = await t.request("/api/v1/users", {
    method: "POST",
    token: admin,
    json: { username: "vera", password: "a-long-unusual-passphrase", role: "viewer" },
  });
  assert.equal(dup.status, 409);
  await dup.body?.cancel();
  const last = await t.request("/api/v1/users/alice", { method: "DELETE", token: admin });
  assert.equal(last.status, 409);
  await last.body?.cancel();
  const removed = await t.request("/api/v1/users/vera", { method: "DELETE", token: admin });
  assert.equal(removed.status, 204);

  const config = await t.request("/api/v1/realism/config", {
    method: "PUT",
    token: admin,
    json: { canary_probability: 0.5 },
  });
  assert.equal(config.status, 200);
  await config.body?.cancel();

  const issued = await t.request("/api/v1/canary/tokens", {
    method: "POST",
    token: admin,
    json: { kind: "http", generator: "git_config", deploy: false },
  });
  const token = await issued.json();
  assert.equal(issued.status, 201, JSON.stringify(token));
  const revoked = await t.request(`/api/v1/canary/tokens/${token.uuid}`, {
    method: "DELETE",
    token: admin,
  });
  assert.equal(revoked.status, 200);
  await revoked.body?.cancel();

  const res = await t.request("/api/v1/audit", { token: admin });
  assert.equal(res.status, 200);
  const { items, total } = await res.json() as { items: Entry[]; total: number };
  assert.equal(total, 7);
  assert.deepEqual(
    items.map((e) => [e.action, e.target, e.outcome]).reverse(),
    [
      ["user.added", "vera", "success"],
      ["user.added", "vera", "failure"],
      ["user.removed", "alice", "failure"],
      ["user.removed", "vera", "success"],
      ["realism.config_changed", "realism.config", "success"],
      ["canary_token.created", token.uuid, "success"],
      ["canary_token.revoked", token.uuid, "success"],
    ],
  );
  const first = items[items.length - 1];
  assert.deepEqual(
    [first.actor, first.actor_kind, first.client_ip, first.os_user],
    ["alice", "user", "192.0.2.44", null],
  );
  assert.deepEqual(first.detail, { role: "viewer" });
  assert.equal(first.occurred_at, t.clock.now.toISOString());
  assert.equal(items[5].detail.reason, "exists");
  assert.equal(items[2].detail.settings && typeof items[2].detail.settings, "object");
  assert.ok(
    !JSON.stringify(items).includes("a-long-unusual-passphrase"),
    "no password in the audit log",
  );
});

Deno.test("GET /api/v1/audit filters by user, action and time; admins only", async () => {
  await using t = await makeTestApp();
  const admin = await t.login("alice", "admin");
  const viewer = await t.login("vera", "viewer");
  const record = (actor: string, action: string, minute: number) => {
    t.clock.now = new Date(Date.UTC(2026, 10, 18, 15, minute));
    return t.repos.audit.record({ actor, actorKind: "user", action, outcome: "success" });
  };
  await record("alice", "user.added", 0);
  await record("bob", "user.added", 10);
  await record("alice", "fleet.deployed", 20);
  await record("cli", "user.removed", 30);

  const get = async (query: string) => {
    const res = await t.request(`/api/v1/audit${query}`, { token: admin });
    const body = await res.json();
    assert.equal(res.status, 200, JSON.stringify(body));
    return (body.items as Entry[]).map((e) => `${e.actor}:${e.action}`);
  };
  assert.deepEqual(await get("?user=alice"), ["alice:fleet.deployed", "alice:user.added"]);
  assert.deepEqual(await get("?action=user.added"), ["bob:user.added", "alice:user.added"]);
  // The offset is honoured: 16:30+01:00 is 15:30Z, and `until` is exclusive.
  assert.deepEqual(
    await get("?since=2026-11-18T15:10:00Z&until=2026-11-18T16:30:00%2B01:00"),
    ["alice:fleet.deployed", "bob:user.added"],
  );
  assert.deepEqual(await get("?limit=1&offset=1"), ["alice:fleet.deployed"]);

  for (
    const [query, field] of [["?action=user.hacked", "query.action"], [
      "?since=yesterday",
      "query.since",
    ], ["?limit=0", "query.limit"]]
  ) {
    const res = await t.request(`/api/v1/audit${query}`, { token: admin });
    assert.equal(res.status, 400, query);
    assert.equal((await res.json()).error.field, field);
  }
  const denied = await t.request("/api/v1/audit", { token: viewer });
  assert.equal(denied.status, 403);
  await denied.body?.cancel();
  const anonymous = await t.request("/api/v1/audit");
  assert.equal(anonymous.status, 401);
  await anonymous.body?.cancel();
});

Deno.test("audit.<action> is published once the entry is stored, in the API's shape", async () => {
  await using t = await makeTestApp();
  const admin = await t.login("alice", "admin");
  const seen: BusMessage[] = [];
  using _sub = t.deps.bus.subscribe("audit.>", async (m) => {
    // Published after the write: the entry can already be read back.
    const stored = await t.repos.audit.list({ limit: 10, offset: 0 });
    assert.equal(stored.items[0].id, (m.payload as Entry).id);
    seen.push(m);
  });
  const res = await t.request("/api/v1/api-keys", {
    method: "POST",
    token: admin,
    json: { name: "siem", role: "viewer" },
  });
  const { key } = await res.json();
  await waitUntil(() => seen.length === 1, { what: "the audit message" });
  assert.equal(seen[0].topic, "audit.api_key.created");
  const listed = await (await t.request("/api/v1/audit", { token: admin })).json();
  assert.deepEqual(seen[0].payload, listed.items[0]);
  assert.ok(!JSON.stringify(seen[0].payload).includes(key));
});

Deno.test("deploy, teardown, revert and worker control record their outcome; a dry run records nothing", async () => {
  const home = await Deno.makeTempDir({ prefix: "audit-fleet-" });
  try {
    await using t = await makeTestApp({ DECNET_HOME: home, DOCKER_HOST: "unix:///nonexistent" });
    const admin = await t.login("alice", "admin");
    const fleet =
      "[network]\nsubnet = 192.0.2.0/24\n[decky ws-01]\nservices = ssh\nimage = img:1\nip = 192.0.2.10\n";
    const call = async (method: string, path: string, json?: unknown) => {
      const res = await t.request(path, { method, token: admin, json });
      await res.body?.cancel();
      return res.status;
    };
    assert.equal(await call("POST", "/api/v1/fleet/deploy", { config: fleet, dry_run: true }), 200);
    assert.equal((await t.repos.audit.list({ limit: 10, offset: 0 })).total, 0);
    // Docker is away: each action fails, and says so in the log.
    assert.equal(await call("POST", "/api/v1/fleet/deploy", { config: fleet }), 503);
    assert.equal(await call("DELETE", "/api/v1/fleet/deckies/ws-01"), 503);
    assert.equal(await call("POST", "/api/v1/fleet/deckies/ws-01/revert"), 502);

    t.deps.workerHealth = () => [runningWorker("canary")];
    assert.equal(await call("POST", "/api/v1/workers/canary/stop"), 202);

    const { items } = await t.repos.audit.list({ limit: 10, offset: 0 });
    assert.deepEqual(items.map((e) => [e.action, e.target, e.outcome, e.actor]).reverse(), [
      ["fleet.deployed", "ws-01", "failure", "alice"],
      ["decky.torn_down", "ws-01", "failure", "alice"],
      ["decky.reverted", "ws-01", "failure", "alice"],
      ["worker.stop_requested", "canary", "success", "alice"],
    ]);
    assert.match(JSON.parse(items[3].detail).error, /Docker|unreachable|ENOENT/i);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
