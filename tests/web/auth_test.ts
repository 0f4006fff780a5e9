import assert from "node:assert/strict";
import { makeTestApp } from "./test_app.ts";

Deno.test("POST /api/v1/auth/login returns a bearer token for good credentials", async () => {
  await using t = await makeTestApp();
  const token = await t.login("alice", "admin");
  const me = await t.request("/api/v1/auth/me", { token });
  assert.equal(me.status, 200);
  const body = await me.json();
  assert.equal(body.username, "alice");
  assert.equal(body.role, "admin");
  assert.equal(body.expires_at, "2026-11-18T18:00:00.000Z");
});

Deno.test("POST /api/v1/auth/login refuses wrong passwords and unknown users alike", async () => {
  await using t = await makeTestApp();
  await t.login("alice", "viewer");
  for (const username of ["alice", "nobody"]) {
    const res = await t.request("/api/v1/auth/login", {
      method: "POST",
      json: { username, password: "wrong-password" },
    });
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), {
      error: { code: "invalid_credentials", message: "Wrong username or password" },
    });
  }
});

Deno.test("POST /api/v1/auth/login validates the body and names the field", async (t) => {
  await using app = await makeTestApp();
  await t.step("wrong type", async () => {
    const res = await app.request("/api/v1/auth/login", {
      method: "POST",
      json: { username: 5, password: "x" },
    });
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.equal(body.error.field, "body.username");
  });
  await t.step("unknown field", async () => {
    const res = await app.request("/api/v1/auth/login", {
      method: "POST",
      json: { username: "a", password: "b", admin: true },
    });
    assert.equal(res.status, 400);
  });
  await t.step("not JSON", async () => {
    const res = await app.request("/api/v1/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{nope",
    });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error.code, "invalid_json");
  });
  await t.step("wrong content type", async () => {
    const res = await app.request("/api/v1/auth/login", { method: "POST", body: "a=b" });
    assert.equal(res.status, 415);
    await res.body?.cancel();
  });
});

Deno.test("POST /api/v1/auth/login rate-limits failures per username with 429", async () => {
  await using t = await makeTestApp({ DECNET_LOGIN_MAX_ATTEMPTS: "3", DECNET_LOGIN_WINDOW: "5m" });
  await t.login("alice", "viewer");
  const attempt = (password: string) =>
    t.request("/api/v1/auth/login", { method: "POST", json: { username: "alice", password } });
  for (let i = 0; i < 3; i++) assert.equal((await attempt("bad-password")).status, 401);
  const blocked = await attempt("alice-password-1");
  assert.equal(blocked.status, 429);
  assert.ok(Number(blocked.headers.get("retry-after")) > 0);
  await blocked.body?.cancel();
  t.clock.now = new Date(t.clock.now.getTime() + 5 * 60_000 + 1000);
  assert.equal((await attempt("alice-password-1")).status, 200);
});

Deno.test("auth guard answers 401 without, with a forged and with an expired token", async () => {
  await using t = await makeTestApp({ DECNET_JWT_TTL: "1h" });
  const token = await t.login("alice", "admin");
  assert.equal((await t.request("/api/v1/auth/me")).status, 401);
  const [h, b] = token.split(".");
  assert.equal((await t.request("/api/v1/auth/me", { token: `${h}.${b}.AAAA` })).status, 401);
  assert.equal((await t.request("/api/v1/auth/me", { token: "garbage" })).status, 401);
  t.clock.now = new Date(t.clock.now.getTime() + 3601_000);
  const expired = await t.request("/api/v1/auth/me", { token });
  assert.equal(expired.status, 401);
  assert.match(expired.headers.get("www-authenticate") ?? "", /^Bearer/);
  await expired.body?.cancel();
});

Deno.test("auth guard answers 403 when a viewer calls an admin route", async () => {
  await using t = await makeTestApp();
  const viewer = await t.login("victor", "viewer");
  const res = await t.request("/api/v1/users", { token: viewer });
  assert.equal(res.status, 403);
  assert.equal((await res.json()).error.code, "forbidden");
});

Deno.test("POST /api/v1/auth/logout revokes the token", async () => {
  await using t = await makeTestApp();
  const token = await t.login("alice", "viewer");
  assert.equal((await t.request("/api/v1/auth/logout", { method: "POST", token })).status, 204);
  assert.equal((await t.request("/api/v1/auth/me", { token })).status, 401);
});

Deno.test("auth guard refuses tokens of removed users and tokens older than a password change", async () => {
  await using t = await makeTestApp();
  const token = await t.login("alice", "admin");
  const other = await t.login("bob", "viewer");
  t.clock.now = new Date(t.clock.now.getTime() + 2000);
  await t.repos.users.setPassword("alice", "new-hash");
  assert.equal((await t.request("/api/v1/auth/me", { token })).status, 401);
  await t.repos.users.remove("bob");
  assert.equal((await t.request("/api/v1/auth/me", { token: other })).status, 401);
});

Deno.test("POST /api/v1/auth/sse-ticket issues single-use tickets valid for 60 s", async () => {
  await using t = await makeTestApp();
  const token = await t.login("alice", "viewer");
  const res = await t.request("/api/v1/auth/sse-ticket", { method: "POST", token });
  assert.equal(res.status, 201);
  const { ticket, expires_in } = await res.json();
  assert.equal(expires_in, 60);
  const now = t.clock.now.getTime();
  assert.equal(t.deps.tickets.redeem(ticket, now)?.username, "alice");
  assert.equal(t.deps.tickets.redeem(ticket, now), null);
  const late = t.deps.tickets.issue({ uuid: "u", username: "x", role: "viewer" }, now);
  assert.equal(t.deps.tickets.redeem(late.ticket, now + 60_001), null);
});

Deno.test("SseTickets caps concurrent streams per user", async () => {
  await using t = await makeTestApp({ DECNET_SSE_MAX_PER_USER: "2" });
  const { tickets } = t.deps;
  assert.equal(tickets.acquire("u1"), true);
  assert.equal(tickets.acquire("u1"), true);
  assert.equal(tickets.acquire("u1"), false);
  assert.equal(tickets.acquire("u2"), true);
  tickets.release("u1");
  assert.equal(tickets.acquire("u1"), true);
});
