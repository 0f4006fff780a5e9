import assert from "node:assert/strict";
import { makeTokenInput } from "../_token_fixture.ts";
import { hashPassword } from "../../../web/mod.ts";
import { EMBEDDED_ASSETS } from "../../../web/assets/embedded_assets.ts";
import { loadOverview } from "../../../web/pages/overview_data.ts";
import { makeTestApp } from "../test_app.ts";
import type { TestApp } from "../test_app.ts";

async function addUser(t: TestApp, username: string, role: "admin" | "viewer"): Promise<void> {
  await t.repos.users.create({
    username,
    passwordHash: await hashPassword(`${username}-password-1`),
    role,
  });
}

function formPost(
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
  };
}

/** Signs in through the form and returns the `session=...` cookie pair. */
async function formLogin(t: TestApp, username: string): Promise<string> {
  const res = await t.request(
    "/login",
    formPost({ username, password: `${username}-password-1` }),
  );
  assert.equal(res.status, 303);
  const setCookie = res.headers.get("set-cookie") ?? "";
  const pair = setCookie.split(";")[0];
  assert.match(pair, /^session=\S+$/);
  return pair;
}

Deno.test("pagesRouter() sends anonymous visitors to the login page", async () => {
  await using t = await makeTestApp();
  const res = await t.request("/");
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/login");
  const deep = await t.request("/workers");
  assert.equal(deep.headers.get("location"), "/login?next=%2Fworkers");
});

Deno.test("pagesRouter() renders the login page with a strict CSP and labelled fields", async () => {
  await using t = await makeTestApp();
  const res = await t.request("/login");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
  const csp = res.headers.get("content-security-policy") ?? "";
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  const html = await res.text();
  assert.ok(html.startsWith("<!doctype html>"));
  assert.match(html, /<label for="username">/);
  assert.match(html, /<label for="password">/);
  assert.ok(html.includes(EMBEDDED_ASSETS.css.path));
  assert.ok(!html.includes("<script"), "the login page needs no script");
});

Deno.test("pagesRouter() login form sets an HttpOnly SameSite=Strict cookie", async (t) => {
  await t.step("over http: not Secure", async () => {
    await using app = await makeTestApp();
    await addUser(app, "alice", "admin");
    const res = await app.request(
      "/login",
      formPost({ username: "alice", password: "alice-password-1", next: "/workers" }),
    );
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/workers");
    const cookie = res.headers.get("set-cookie") ?? "";
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.match(cookie, /Path=\//);
    assert.doesNotMatch(cookie, /Secure/);
  });
  await t.step("over https: Secure", async () => {
    await using app = await makeTestApp();
    await addUser(app, "alice", "admin");
    const res = await app.request(
      "https://dash.example/login",
      formPost({ username: "alice", password: "alice-password-1" }),
    );
    assert.match(res.headers.get("set-cookie") ?? "", /Secure/);
  });
  await t.step("refuses another origin as the next page", async () => {
    await using app = await makeTestApp();
    await addUser(app, "alice", "admin");
    const res = await app.request(
      "/login",
      formPost({ username: "alice", password: "alice-password-1", next: "//evil.example/" }),
    );
    assert.equal(res.headers.get("location"), "/");
  });
});

Deno.test("pagesRouter() login form shows errors and shares the API's rate limiter", async () => {
  await using t = await makeTestApp({ DECNET_LOGIN_MAX_ATTEMPTS: "3" });
  await addUser(t, "alice", "admin");
  const wrong = await t.request("/login", formPost({ username: "alice", password: "nope" }));
  assert.equal(wrong.status, 401);
  const html = await wrong.text();
  assert.match(html, /role="alert">Wrong username or password/);
  assert.match(html, /value="alice"/);
  for (let i = 0; i < 2; i++) {
    await t.request("/api/v1/auth/login", {
      method: "POST",
      json: { username: "alice", password: "nope" },
    });
  }
  const limited = await t.request(
    "/login",
    formPost({ username: "alice", password: "alice-password-1" }),
  );
  assert.equal(limited.status, 429);
  assert.ok(limited.headers.get("retry-after"));
  assert.match(await limited.text(), /Too many login attempts/);
});

Deno.test("pagesRouter() refuses cross-origin form posts", async () => {
  await using t = await makeTestApp();
  await addUser(t, "alice", "admin");
  const res = await t.request(
    "/login",
    formPost({ username: "alice", password: "alice-password-1" }, {
      origin: "https://evil.example",
    }),
  );
  assert.equal(res.status, 403);
  assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
  assert.equal(res.headers.get("set-cookie"), null);
  const site = await t.request(
    "/logout",
    formPost({}, { "sec-fetch-site": "cross-site" }),
  );
  assert.equal(site.status, 403);
});

Deno.test("pagesRouter() overview shows the signed-in user, role and figures", async () => {
  await using t = await makeTestApp();
  await addUser(t, "alice", "viewer");
  await t.repos.fleet.upsert({
    hostUuid: "local",
    name: "decky-01",
    ip: "192.0.2.10",
    services: ["ssh"],
    images: {},
    network: null,
    networkDriver: null,
    osPersona: "linux",
  }, "running");
  await t.repos.orchestrator.insertEvent({
    ts: "2026-11-18T13:20:00.000Z",
    kind: "traffic",
    src_decky_uuid: null,
    src_decky_name: "decky-01",
    dst_decky_uuid: null,
    dst_decky_name: null,
    success: 0,
    payload: "{}",
    error: "boom",
  });
  const cookie = await formLogin(t, "alice");
  const res = await t.request("/", { headers: { cookie } });
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /data-testid="user">alice</);
  assert.match(html, /data-testid="role">viewer</);
  assert.match(html, /data-state="running"><strong>1</);
  assert.match(html, /1 events in 24 h, 1 failed/);
  assert.match(html, /not reported/);
  assert.match(html, /aria-current="page"/);
  // CSP: no inline script; only the hashed bundle and JSON island props.
  for (const [tag] of html.matchAll(/<script[^>]*>/g)) {
    assert.ok(
      tag === `<script type="module" src="${EMBEDDED_ASSETS.js.path}">` ||
        tag === '<script type="application/json">',
      tag,
    );
  }
});

Deno.test("pagesRouter() workers page hides admin controls from viewers", async (t) => {
  for (const role of ["viewer", "admin"] as const) {
    await t.step(role, async () => {
      await using app = await makeTestApp();
      app.deps.workerHealth = () => [{
        name: "canary",
        healthy: true,
        state: "running",
        restarts: 2,
        uptime_seconds: 3700,
        last_heartbeat: "2026-11-18T13:59:50.000Z",
        extras: {},
      }];
      await addUser(app, "u", role);
      const cookie = await formLogin(app, "u");
      const html = await (await app.request("/workers", { headers: { cookie } })).text();
      assert.match(html, /data-island="WorkerTable"/);
      assert.match(html, /<script type="application\/json">\{"workers":\[\{"name":"canary"/);
      assert.match(html, />1 h 1 min</);
      assert.equal(html.includes("Stop canary"), role === "admin");
      assert.equal(/"isAdmin":true/.test(html), role === "admin");
    });
  }
});

Deno.test("authGuard() accepts the session cookie, with a CSRF header for changes", async () => {
  await using t = await makeTestApp();
  await addUser(t, "alice", "viewer");
  const cookie = await formLogin(t, "alice");
  const me = await t.request("/api/v1/auth/me", { headers: { cookie } });
  assert.equal(me.status, 200);
  assert.equal((await me.json()).username, "alice");
  const bare = await t.request("/api/v1/auth/sse-ticket", { method: "POST", headers: { cookie } });
  assert.equal(bare.status, 403);
  assert.equal((await bare.json()).error.code, "csrf");
  const ok = await t.request("/api/v1/auth/sse-ticket", {
    method: "POST",
    headers: { cookie, "x-requested-with": "fetch" },
  });
  assert.equal(ok.status, 201);
  await ok.body?.cancel();
});

Deno.test("pagesRouter() logout revokes the session token", async () => {
  await using t = await makeTestApp();
  await addUser(t, "alice", "viewer");
  const cookie = await formLogin(t, "alice");
  const out = await t.request("/logout", { method: "POST", headers: { cookie } });
  assert.equal(out.status, 303);
  assert.equal(out.headers.get("location"), "/login");
  assert.match(out.headers.get("set-cookie") ?? "", /session=;/);
  const again = await t.request("/api/v1/auth/me", { headers: { cookie } });
  assert.equal(again.status, 401);
  await again.body?.cancel();
  const page = await t.request("/", { headers: { cookie } });
  assert.equal(page.status, 303);
});

Deno.test("createApp() answers unknown pages in HTML and unknown API routes in JSON", async () => {
  await using t = await makeTestApp();
  const page = await t.request("/no-such-page");
  assert.equal(page.status, 404);
  assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
  assert.match(await page.text(), /Page not found/);
  const api = await t.request("/api/v1/no-such-route");
  assert.equal(api.status, 404);
  assert.equal((await api.json()).error.code, "not_found");
});

Deno.test("pagesRouter() serves embedded assets with long-cache headers", async () => {
  await using t = await makeTestApp();
  for (const asset of Object.values(EMBEDDED_ASSETS)) {
    const res = await t.request(asset.path);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), asset.contentType);
    assert.match(res.headers.get("cache-control") ?? "", /immutable/);
    assert.equal(await res.text(), asset.body);
  }
});

Deno.test("pagesRouter() fleet page lists deckies and a decky page its files and tokens", async () => {
  await using t = await makeTestApp();
  await addUser(t, "alice", "viewer");
  const decky = await t.repos.fleet.upsert({
    hostUuid: "local",
    name: "web-01",
    ip: "192.0.2.20",
    services: ["http"],
    images: {},
    network: null,
    networkDriver: null,
    osPersona: "linux",
  }, "degraded");
  await t.repos.syntheticFiles.upsert({
    deckyUuid: decky.uuid,
    path: "/home/ann/notes.txt",
    persona: "ann",
    contentClass: "notes",
    at: "2026-11-18T10:00:00.000Z",
    lastModified: "2026-11-18T11:00:00.000Z",
    contentHash: "x",
    body: "hello",
  });
  const cookie = await formLogin(t, "alice");
  const fleet = await (await t.request("/fleet", { headers: { cookie } })).text();
  assert.match(fleet, /data-island="FleetTable"/);
  assert.match(fleet, /href="\/fleet\/web-01">web-01</);
  assert.match(fleet, /data-testid="state">degraded</);
  const page = await (await t.request("/fleet/web-01", { headers: { cookie } })).text();
  assert.match(page, /Synthetic files \(1\)/);
  assert.match(page, /<code>\/home\/ann\/notes.txt<\/code>/);
  assert.match(page, /No token planted here/);
  await t.repos.canary.insertToken(makeTokenInput({
    uuid: "5f0c2f4e-2222-4c3b-9a57-000000000002",
    decky_uuid: decky.uuid,
  }));
  const withToken = await (await t.request("/fleet/web-01", { headers: { cookie } })).text();
  // The same token rows as the token list, without the decky column.
  assert.match(withToken, /<a href="\/canary\/5f0c2f4e-2222-4c3b-9a57-000000000002">/);
  assert.match(withToken, /<th[^>]*>Callback<\/th>/);
  assert.doesNotMatch(withToken, /<th[^>]*>Decky<\/th>/);
  const missing = await t.request("/fleet/nope", { headers: { cookie } });
  assert.equal(missing.status, 404);
  assert.match(await missing.text(), /No such decky: nope/);
});

Deno.test("pagesRouter() orchestrator page merges events and emails and counts the last hour's failures", async () => {
  await using t = await makeTestApp();
  await addUser(t, "alice", "viewer");
  const event = (ts: string, success: number) => ({
    ts,
    kind: "file" as const,
    src_decky_uuid: null,
    src_decky_name: "d1",
    dst_decky_uuid: null,
    dst_decky_name: null,
    success,
    payload: JSON.stringify({ action: "edit", path: "/home/ann/a.txt" }),
    error: success ? null : "exec failed",
  });
  await t.repos.orchestrator.insertEvent(event("2026-11-18T13:30:00.000Z", 0));
  await t.repos.orchestrator.insertEvent(event("2026-11-18T11:00:00.000Z", 0));
  await t.repos.orchestrator.insertEmail({
    ts: "2026-11-18T13:40:00.000Z",
    mail_decky_uuid: "m1",
    mail_decky_name: "mail-01",
    thread_id: "th-1",
    message_id: "<a@example.test>",
    in_reply_to: null,
    references_chain: "",
    sender: "ann@example.test",
    recipient: "bob@example.test",
    subject: "Quarterly </script> figures",
    language: "en",
    body: "Hello",
    path: "/var/mail/bob",
    success: 1,
    error: null,
  });
  const cookie = await formLogin(t, "alice");
  const html = await (await t.request("/orchestrator", { headers: { cookie } })).text();
  assert.match(html, /data-testid="failures">1</);
  assert.match(html, /data-island="EventTable"/);
  assert.match(html, /"thread":"th-1","language":"en"/);
  assert.match(html, /Quarterly \\u003c\/script\\u003e figures/);
  assert.ok(html.indexOf("ann@example.test") < html.indexOf("edit /home/ann/a.txt"));
});

Deno.test("loadOverview() reads the LLM breaker from the orchestrator's heartbeat", async (t) => {
  const cases: [Record<string, unknown>, string | null][] = [
    [{}, null],
    [{ llm_enabled: true, breaker_state: "open" }, "open"],
    [{ llm_enabled: false, breaker_state: "closed" }, "disabled"],
  ];
  for (const [extras, expected] of cases) {
    await t.step(JSON.stringify(extras), async () => {
      await using app = await makeTestApp();
      const data = await loadOverview({
        repos: app.repos,
        now: () => app.clock.now,
        workerHealth: () => [{
          name: "orchestrator",
          healthy: true,
          state: "running",
          restarts: 0,
          uptime_seconds: 1,
          last_heartbeat: null,
          extras: extras as Record<string, never>,
        }],
      });
      assert.equal(data.llmBreaker, expected);
    });
  }
});

Deno.test("pagesRouter() personas and realism pages mount their islands", async () => {
  await using t = await makeTestApp();
  await addUser(t, "alice", "admin");
  const cookie = await formLogin(t, "alice");
  const personas = await (await t.request("/personas", { headers: { cookie } })).text();
  assert.match(personas, /data-island="PersonaEditor"/);
  assert.match(personas, /"endpoint":"\/api\/v1\/realism\/personas","isAdmin":true/);
  const realism = await (await t.request("/realism", { headers: { cookie } })).text();
  assert.match(realism, /data-island="RealismConfigForm"/);
  assert.match(realism, /\{"name":"canary_ssh_key","group":"canary"\}/);
});

Deno.test("pagesRouter() canary pages list tokens, blobs and a token's triggers", async (t) => {
  for (const role of ["admin", "viewer"] as const) {
    await t.step(role, async () => {
      await using app = await makeTestApp();
      await addUser(app, "u", role);
      const token = await app.repos.canary.insertToken(makeTokenInput());
      await app.repos.canary.recordTrigger({
        tokenUuid: token.uuid,
        occurredAt: new Date("2026-11-18T13:00:00.000Z"),
        srcIp: "198.51.100.9",
        userAgent: "aws-cli/2.0",
        method: "GET",
        requestPath: "/c/QwErTyUiOpAsDfGhJkLzXc",
        dnsQname: null,
        dnsClientSubnet: null,
        headers: {},
      });
      const cookie = await formLogin(app, "u");
      const list = await (await app.request("/canary", { headers: { cookie } })).text();
      assert.match(list, /data-token="5f0c2f4e-1111-4c3b-9a57-000000000001"/);
      assert.match(list, /<td>1<\/td>/);
      assert.equal(list.includes('data-island="CreateTokenForm"'), role === "admin");
      assert.equal(list.includes('data-island="BlobUpload"'), role === "admin");
      if (role === "admin") assert.match(list, /"generators":\[\{"name":"/);
      const page = await (await app.request(`/canary/${token.uuid}`, { headers: { cookie } }))
        .text();
      assert.match(page, /Trigger history \(1\)/);
      assert.match(page, /198\.51\.100\.9/);
      assert.match(page, /\(aws-cli\/2\.0\)/);
      assert.equal(page.includes('data-island="TokenActions"'), role === "admin");
      assert.equal(page.includes(">Revoke<"), role === "admin");
    });
  }
});
