import assert from "node:assert/strict";
import { makeTestApp } from "./test_app.ts";
import type { TestApp } from "./test_app.ts";

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

function loginAs(t: TestApp, username: string, password: string, ip = "192.0.2.7") {
  return t.request("/api/v1/auth/login", { method: "POST", json: { username, password }, ip });
}

async function statusOf(res: Promise<Response>): Promise<number> {
  const r = await res;
  await r.body?.cancel();
  return r.status;
}

Deno.test("POST /api/v1/auth/login counts parallel attempts while they run: 60 at once, 10 checked, the rest 429", async () => {
  await using t = await makeTestApp({ DECNET_LOGIN_MAX_ATTEMPTS: "10" });
  await t.login("alice", "viewer");
  const statuses = await Promise.all(
    Array.from({ length: 60 }, () => statusOf(loginAs(t, "alice", "wrong-password"))),
  );
  assert.equal(statuses.filter((s) => s === 401).length, 10);
  assert.equal(statuses.filter((s) => s === 429).length, 50);
});

Deno.test("POST /api/v1/auth/login refuses an address over its failures with 429 and Retry-After until the window passes", async () => {
  await using t = await makeTestApp({ DECNET_LOGIN_MAX_ATTEMPTS: "3", DECNET_LOGIN_WINDOW: "5m" });
  await t.login("alice", "viewer");
  await t.login("bob", "viewer");
  for (let i = 0; i < 3; i++) {
    assert.equal(await statusOf(loginAs(t, "alice", "bad-password")), 401);
  }
  const blocked = await loginAs(t, "bob", "bob-password-1");
  assert.equal(blocked.status, 429);
  assert.equal(blocked.headers.get("retry-after"), "300");
  await blocked.body?.cancel();
  t.clock.now = new Date(t.clock.now.getTime() + 5 * 60_000 + 1000);
  assert.equal(await statusOf(loginAs(t, "alice", "alice-password-1")), 200);
});

Deno.test("POST /api/v1/auth/login never locks an account out: the admin gets in from another address while one hammers it", async () => {
  await using t = await makeTestApp({ DECNET_LOGIN_MAX_ATTEMPTS: "10" });
  await t.login("admin", "admin");
  const attacker = "198.51.100.9";
  const statuses: number[] = [];
  for (let i = 0; i < 30; i++) {
    statuses.push(await statusOf(loginAs(t, "admin", `guess-${i}`, attacker)));
  }
  assert.deepEqual(statuses.slice(0, 10), Array(10).fill(401));
  assert.deepEqual(statuses.slice(10), Array(20).fill(429));
  // Other attacker addresses keep failing (distributed guessing), each adding to the name's delay.
  for (let i = 0; i < 5; i++) {
    assert.equal(await statusOf(loginAs(t, "admin", `guess-${i}`, `198.51.100.${20 + i}`)), 401);
  }
  assert.equal(await statusOf(loginAs(t, "admin", "admin-password-1", "192.0.2.50")), 200);
  // The name's failures slow every attempt on it (growing, capped), never refuse it.
  assert.deepEqual(t.loginDelays, [250, 500, 1000, 2000, 4000, 5000]);
});

Deno.test("POST /api/v1/auth/login limits one account from one address even after another account's success there", async () => {
  await using t = await makeTestApp({ DECNET_LOGIN_MAX_ATTEMPTS: "3" });
  await t.login("alice", "viewer");
  await t.login("bob", "viewer");
  const office = "203.0.113.4";
  for (let i = 0; i < 2; i++) assert.equal(await statusOf(loginAs(t, "alice", "bad", office)), 401);
  // Bob's success forgives the address, not alice's failures from it.
  assert.equal(await statusOf(loginAs(t, "bob", "bob-password-1", office)), 200);
  assert.equal(await statusOf(loginAs(t, "alice", "bad", office)), 401);
  assert.equal(await statusOf(loginAs(t, "alice", "alice-password-1", office)), 429);
  assert.equal(await statusOf(loginAs(t, "bob", "bob-password-1", office)), 200);
  assert.equal(await statusOf(loginAs(t, "alice", "alice-password-1", "192.0.2.8")), 200);
});

Deno.test("POST /api/v1/auth/login counts IPv6 clients per /64", async () => {
  await using t = await makeTestApp({ DECNET_LOGIN_MAX_ATTEMPTS: "2" });
  await t.login("alice", "viewer");
  assert.equal(await statusOf(loginAs(t, "alice", "bad", "2001:db8:1:2::1")), 401);
  assert.equal(await statusOf(loginAs(t, "alice", "bad", "2001:db8:1:2:ffff::9")), 401);
  assert.equal(await statusOf(loginAs(t, "alice", "alice-password-1", "2001:db8:1:2::77")), 429);
  assert.equal(await statusOf(loginAs(t, "alice", "alice-password-1", "2001:db8:1:3::1")), 200);
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

Deno.test("POST /api/v1/auth/sse-ticket issues single-use tickets valid for 60 s, bound to the session", async () => {
  await using t = await makeTestApp();
  const token = await t.login("alice", "viewer");
  const res = await t.request("/api/v1/auth/sse-ticket", { method: "POST", token });
  assert.equal(res.status, 201);
  const { ticket, expires_in } = await res.json();
  assert.equal(expires_in, 60);
  const now = t.clock.now.getTime();
  const session = t.deps.tickets.redeem(ticket, now);
  assert.equal(session?.user.username, "alice");
  const me = await (await t.request("/api/v1/auth/me", { token })).json();
  assert.equal(session?.claims.exp, Date.parse(me.expires_at) / 1000);
  assert.equal(t.deps.tickets.redeem(ticket, now), null);
});

Deno.test("POST /api/v1/auth/sse-ticket answers 429 with Retry-After beyond the unredeemed tickets per user", async () => {
  await using t = await makeTestApp({ DECNET_SSE_MAX_PER_USER: "2" });
  const alice = await t.login("alice", "viewer");
  const bob = await t.login("bob", "viewer");
  const issue = (token: string) => t.request("/api/v1/auth/sse-ticket", { method: "POST", token });
  const tickets: string[] = [];
  for (let i = 0; i < 4; i++) {
    const res = await issue(alice);
    assert.equal(res.status, 201);
    tickets.push((await res.json()).ticket);
  }
  const refused = await issue(alice);
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get("retry-after"), "60");
  assert.equal((await refused.json()).error.code, "too_many_tickets");
  assert.equal(await statusOf(issue(bob)), 201);
  // Redeeming one (opening its stream) frees its place.
  assert.ok(t.deps.tickets.redeem(tickets[0], t.clock.now.getTime()));
  assert.equal(await statusOf(issue(alice)), 201);
});
