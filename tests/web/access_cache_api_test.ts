import assert from "node:assert/strict";
import { DEFAULT_ACCESS_CACHE_TTL_MS } from "../../web/auth/access_cache.ts";
import { watchAccountChanges } from "../../web/auth/watch_account_changes.ts";
import { changePasswordOnBus } from "./_password_change_on_bus.ts";
import { makeTokenInput } from "./_token_fixture.ts";
import { makeTestApp, type TestApp } from "./test_app.ts";

async function statusOf(t: TestApp, token: string, path = "/api/v1/auth/me"): Promise<number> {
  const res = await t.request(path, { token });
  await res.body?.cancel();
  return res.status;
}

Deno.test("auth guard refuses a cached token at once after its logout, and a removed user's at once", async () => {
  await using t = await makeTestApp();
  const admin = await t.login("root", "admin");
  const alice = await t.login("alice", "viewer");
  const bob = await t.login("bob", "viewer");
  for (const token of [admin, alice, bob]) assert.equal(await statusOf(t, token), 200);
  assert.equal(t.deps.accessCache.size, 3);

  const logout = await t.request("/api/v1/auth/logout", { method: "POST", token: alice });
  assert.equal(logout.status, 204);
  assert.equal(await statusOf(t, alice), 401);

  const removed = await t.request("/api/v1/users/bob", { method: "DELETE", token: admin });
  assert.equal(removed.status, 204);
  assert.equal(await statusOf(t, bob), 401);
  assert.equal(await statusOf(t, admin), 200);
});

Deno.test("auth guard refuses a cached session cookie at once after the dashboard's logout", async () => {
  await using t = await makeTestApp();
  const cookie = `session=${await t.login("alice", "viewer")}`;
  const me = () => t.request("/api/v1/auth/me", { headers: { cookie } });
  const before = await me();
  assert.equal(before.status, 200);
  await before.body?.cancel();
  const out = await t.request("/logout", { method: "POST", headers: { cookie } });
  assert.equal(out.status, 303);
  const after = await me();
  assert.equal(after.status, 401);
  await after.body?.cancel();
});

Deno.test("auth guard refuses a cached API key at once after it is revoked through the API", async () => {
  await using t = await makeTestApp();
  const admin = await t.login("root", "admin");
  const created = await t.request("/api/v1/api-keys", {
    method: "POST",
    token: admin,
    json: { name: "siem", role: "viewer" },
  });
  const { uuid, key } = await created.json();
  assert.equal(await statusOf(t, key), 200);
  assert.equal(await statusOf(t, key), 200);
  const revoked = await t.request(`/api/v1/api-keys/${uuid}`, { method: "DELETE", token: admin });
  assert.equal(revoked.status, 200);
  await revoked.body?.cancel();
  assert.equal(await statusOf(t, key), 401);
});

Deno.test("auth guard sees a change made straight in the database (another process) once the cached grant's TTL ends", async () => {
  await using t = await makeTestApp();
  const token = await t.login("alice", "admin");
  assert.equal(await statusOf(t, token), 200);
  t.clock.now = new Date(t.clock.now.getTime() + 1000);
  // As `decnet user passwd` in another process does: no signal reaches this app.
  await t.repos.users.setPassword("alice", "new-hash");
  t.clock.now = new Date(t.clock.now.getTime() + DEFAULT_ACCESS_CACHE_TTL_MS);
  assert.equal(await statusOf(t, token), 401);
});

Deno.test("an audited password change announced on the bus (the CLI over NATS) clears cached grants at once", async () => {
  await using t = await makeTestApp();
  const watches = watchAccountChanges(t.deps.bus, () => t.deps.accessCache.clear());
  try {
    const token = await t.login("alice", "admin");
    assert.equal(await statusOf(t, token), 200);
    t.clock.now = new Date(t.clock.now.getTime() + 1000);
    await changePasswordOnBus(t, "alice");
    assert.equal(await statusOf(t, token), 401);
  } finally {
    for (const w of watches) w.close();
  }
});

Deno.test("auth guard never caches refused tokens, and caps how many granted ones it keeps", async () => {
  await using t = await makeTestApp();
  const token = await t.login("alice", "viewer");
  const [head, body] = token.split(".");
  for (let i = 0; i < 200; i++) {
    assert.equal(await statusOf(t, `${head}.${body}.${btoa(String(i)).replace(/=/g, "")}`), 401);
  }
  assert.equal(t.deps.accessCache.size, 0);
  const alice = (await t.repos.users.findByUsername("alice"))!;
  for (let i = 0; i < 1100; i++) {
    const { token: fresh } = await t.deps.jwt.sign(
      { sub: alice.uuid, role: "viewer", name: "alice" },
      { ttlSeconds: 3600, now: t.clock.now },
    );
    assert.equal(await statusOf(t, fresh), 200);
  }
  assert.equal(t.deps.accessCache.size, 1000);
});

Deno.test("GET /api/v1/canary/tokens shows a token stored right after an answer it could have reused", async () => {
  await using t = await makeTestApp();
  const viewer = await t.login("victor", "viewer");
  const list = async () =>
    await (await t.request("/api/v1/canary/tokens", { token: viewer })).json();
  assert.equal((await list()).total, 0);
  assert.equal((await list()).total, 0);
  await t.repos.canary.insertToken(makeTokenInput());
  const after = await list();
  assert.equal(after.total, 1);
  assert.equal(after.items[0].uuid, makeTokenInput().uuid);
  await t.repos.canary.setTokenState(makeTokenInput().uuid, "revoked");
  assert.equal((await list()).items[0].state, "revoked");
});
