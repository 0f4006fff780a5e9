import assert from "node:assert/strict";
import { makeTestApp } from "./test_app.ts";
import type { TestApp } from "./test_app.ts";

const PROXY = "192.0.2.1";

function formLogin(t: TestApp, headers: Record<string, string>, ip: string): Promise<Response> {
  return t.request("/login", {
    method: "POST",
    ip,
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams({ username: "alice", password: "alice-password-1" }).toString(),
  });
}

Deno.test("requestClient() makes the session cookie Secure behind a trusted TLS-terminating proxy only", async (t) => {
  await using app = await makeTestApp({ DECNET_API_TRUSTED_PROXIES: `${PROXY}/32` });
  await app.login("alice", "viewer");
  const cookieOf = async (res: Promise<Response>) => {
    const r = await res;
    await r.body?.cancel();
    assert.equal(r.status, 303);
    return r.headers.get("set-cookie") ?? "";
  };
  await t.step("trusted proxy says https: Secure", async () => {
    const cookie = await cookieOf(formLogin(app, { "x-forwarded-proto": "https" }, PROXY));
    assert.match(cookie, /; Secure/);
  });
  await t.step("the last value counts (the nearest proxy's)", async () => {
    const cookie = await cookieOf(formLogin(app, { "x-forwarded-proto": "https, http" }, PROXY));
    assert.doesNotMatch(cookie, /Secure/);
  });
  await t.step("any other peer's header is ignored", async () => {
    const cookie = await cookieOf(formLogin(app, { "x-forwarded-proto": "https" }, "192.0.2.99"));
    assert.doesNotMatch(cookie, /Secure/);
  });
  await t.step("logout clears the cookie with the same attributes", async () => {
    const r = await app.request("/logout", {
      method: "POST",
      ip: PROXY,
      headers: { "x-forwarded-proto": "https", "sec-fetch-site": "same-origin" },
    });
    await r.body?.cancel();
    assert.match(r.headers.get("set-cookie") ?? "", /^session=;.*Secure/);
  });
});

Deno.test("requestClient() lets the login limits count clients behind a trusted proxy apart, and nobody else's X-Forwarded-For", async () => {
  await using t = await makeTestApp({
    DECNET_API_TRUSTED_PROXIES: `${PROXY}/32`,
    DECNET_LOGIN_MAX_ATTEMPTS: "2",
  });
  await t.login("alice", "viewer");
  const attempt = async (password: string, ip: string, forwardedFor: string) => {
    const res = await t.request("/api/v1/auth/login", {
      method: "POST",
      ip,
      headers: { "x-forwarded-for": forwardedFor },
      json: { username: "alice", password },
    });
    await res.body?.cancel();
    return res.status;
  };
  // Two failures from one client behind the proxy use up that client's attempts...
  assert.equal(await attempt("bad", PROXY, "198.51.100.1"), 401);
  assert.equal(await attempt("bad", PROXY, "198.51.100.1"), 401);
  assert.equal(await attempt("alice-password-1", PROXY, "198.51.100.1"), 429);
  // ...not the proxy's own address, which every other client shares.
  assert.equal(await attempt("alice-password-1", PROXY, "198.51.100.2"), 200);
  // An untrusted peer cannot pick a fresh address per guess.
  assert.equal(await attempt("bad", "203.0.113.5", "198.51.100.3"), 401);
  assert.equal(await attempt("bad", "203.0.113.5", "198.51.100.4"), 401);
  assert.equal(await attempt("alice-password-1", "203.0.113.5", "198.51.100.5"), 429);
});
