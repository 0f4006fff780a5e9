import assert from "node:assert/strict";
import { DatabaseProbe, openMigratedDatabase } from "../../core/db/mod.ts";
import { makeTestApp } from "./test_app.ts";

Deno.test("GET /api/v1/health answers without auth with version and workers", async () => {
  await using t = await makeTestApp();
  const res = await t.request("/api/v1/health");
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.status, "ok");
  assert.match(body.version, /^\d+\.\d+\.\d+/);
  assert.deepEqual(body.workers, []);
});

Deno.test("GET /api/v1/health answers 503 degraded while the database probe fails", async () => {
  await using t = await makeTestApp();
  const checkedAt = new Date("2026-11-18T14:00:00Z");
  t.deps.databaseHealth = () => ({ reachable: false, checkedAt, error: "connect ECONNREFUSED" });
  const res = await t.request("/api/v1/health");
  assert.equal(res.status, 503);
  const body = await res.json();
  assert.equal(body.status, "degraded");
  assert.deepEqual(body.database, {
    status: "down",
    checked_at: "2026-11-18T14:00:00.000Z",
    error: "connect ECONNREFUSED",
  });
});

Deno.test("DatabaseProbe.probe() reports a closed database unreachable", async () => {
  const handle = await openMigratedDatabase("sqlite::memory:");
  using probe = new DatabaseProbe(handle.db, { intervalMs: 60_000 });
  assert.equal((await probe.probe()).reachable, true);
  await handle.close();
  const status = await probe.probe();
  assert.equal(status.reachable, false);
  assert.ok(status.error);
});

Deno.test("GET /api/v1/openapi.json documents every route with its schemas", async () => {
  await using t = await makeTestApp();
  const doc = await (await t.request("/api/v1/openapi.json")).json();
  assert.equal(doc.openapi, "3.1.0");
  const login = doc.paths["/api/v1/auth/login"].post;
  assert.deepEqual(login.requestBody.content["application/json"].schema.required, [
    "username",
    "password",
  ]);
  assert.deepEqual(doc.paths["/api/v1/users/{username}"].delete.parameters[0].name, "username");
  assert.equal(doc.paths["/api/v1/users"].post["x-role"], "admin");
});

Deno.test("unknown routes get a JSON 404 and errors never carry a stack", async () => {
  await using t = await makeTestApp();
  const res = await t.request("/api/v1/nope");
  assert.equal(res.status, 404);
  const body = await res.json();
  assert.equal(body.error.code, "not_found");
  assert.equal(res.headers.get("x-content-type-options"), "nosniff");
});

Deno.test("oversized JSON bodies get 413", async () => {
  await using t = await makeTestApp();
  const res = await t.request("/api/v1/auth/login", {
    method: "POST",
    json: { username: "a", password: "x".repeat(2 * 1024 * 1024) },
  });
  assert.equal(res.status, 413);
  await res.body?.cancel();
});

Deno.test("/api/v1/users lets an admin create, list and remove users, not the last admin", async () => {
  await using t = await makeTestApp();
  const token = await t.login("root", "admin");
  const created = await t.request("/api/v1/users", {
    method: "POST",
    token,
    json: { username: "vera", password: "long-enough-pass", role: "viewer" },
  });
  assert.equal(created.status, 201);
  const user = await created.json();
  assert.equal(user.username, "vera");
  assert.equal(user.password_hash, undefined);
  const dup = await t.request("/api/v1/users", {
    method: "POST",
    token,
    json: { username: "vera", password: "long-enough-pass", role: "viewer" },
  });
  assert.equal(dup.status, 409);
  await dup.body?.cancel();
  const short = await t.request("/api/v1/users", {
    method: "POST",
    token,
    json: { username: "w", password: "short", role: "viewer" },
  });
  assert.equal((await short.json()).error.field, "body.password");
  const list = await (await t.request("/api/v1/users", { token })).json();
  assert.equal(list.total, 2);
  assert.equal((await t.request("/api/v1/users/vera", { method: "DELETE", token })).status, 204);
  const last = await t.request("/api/v1/users/root", { method: "DELETE", token });
  assert.equal(last.status, 409);
  await last.body?.cancel();
});
