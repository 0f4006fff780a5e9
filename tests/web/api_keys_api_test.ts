import assert from "node:assert/strict";
import { makeSensorEvent } from "../core/db/attackers_contract.ts";
import type { TestApp } from "./test_app.ts";
import { makeTestApp } from "./test_app.ts";

async function seedCredential(t: TestApp): Promise<void> {
  await t.repos.attackers.storeSensorBatch({
    container: "c1",
    decky: "web-01",
    from: { logTime: "", linesAtTime: 0 },
    to: { logTime: "2026-11-18T13:00:01.000Z", linesAtTime: 1 },
    badLines: 0,
    isBenign: () => false,
    events: [
      makeSensorEvent({
        kind: "credential",
        username: "root",
        secret_kind: "password",
        secret: "hunter2-secret",
        time: "2026-11-18T13:00:01.000Z",
      }),
    ],
  });
}

async function createKey(
  t: TestApp,
  admin: string,
  body: Record<string, unknown>,
): Promise<{ uuid: string; key: string; [k: string]: unknown }> {
  const res = await t.request("/api/v1/api-keys", { method: "POST", token: admin, json: body });
  const json = await res.json();
  assert.equal(res.status, 201, JSON.stringify(json));
  return json;
}

Deno.test("POST /api/v1/api-keys shows the key once; lists and the audit log never hold it", async () => {
  await using t = await makeTestApp();
  const admin = await t.login("alice", "admin");
  const created = await createKey(t, admin, { name: "splunk pull", role: "viewer" });
  assert.match(created.key, /^dk_[A-Za-z0-9_-]{43}$/);
  assert.equal(created.key_prefix, created.key.slice(0, 11));
  assert.equal(created.state, "active");
  assert.equal(created.created_by, "alice");

  const list = await (await t.request("/api/v1/api-keys", { token: admin })).json();
  assert.equal(list.total, 1);
  assert.equal(list.items[0].uuid, created.uuid);
  assert.equal(list.items[0].key, undefined);
  assert.equal(list.items[0].key_hash, undefined);

  const audit = await (await t.request("/api/v1/audit", { token: admin })).json();
  assert.equal(audit.total, 1);
  const [entry] = audit.items;
  assert.deepEqual(
    {
      actor: entry.actor,
      actor_kind: entry.actor_kind,
      client_ip: entry.client_ip,
      action: entry.action,
      target: entry.target,
      outcome: entry.outcome,
    },
    {
      actor: "alice",
      actor_kind: "user",
      client_ip: "192.0.2.7",
      action: "api_key.created",
      target: created.uuid,
      outcome: "success",
    },
  );
  assert.equal(entry.detail.name, "splunk pull");
  const stored = JSON.stringify(await t.repos.audit.list({ limit: 10, offset: 0 }));
  assert.ok(!stored.includes(created.key.slice(3)), "the key is never in the audit log");
});

Deno.test("an API key reads GET routes (bearer or X-Api-Key) and is marked used", async () => {
  await using t = await makeTestApp();
  const admin = await t.login("alice", "admin");
  const { key, uuid } = await createKey(t, admin, { name: "siem", role: "viewer" });
  const bearer = await t.request("/api/v1/attackers", { token: key });
  assert.equal(bearer.status, 200);
  assert.deepEqual(await bearer.json(), { items: [], total: 0 });
  const header = await t.request("/api/v1/attackers", { headers: { "x-api-key": key } });
  assert.equal(header.status, 200);
  await header.body?.cancel();
  assert.equal((await t.repos.apiKeys.get(uuid))?.last_used_at, t.clock.now.toISOString());
  const me = await (await t.request("/api/v1/auth/me", { token: key })).json();
  assert.deepEqual(me, { uuid, username: "api-key:siem", role: "viewer", expires_at: null });
});

Deno.test("an API key cannot change anything: every method but GET is a 403", async () => {
  await using t = await makeTestApp();
  const admin = await t.login("alice", "admin");
  const { key } = await createKey(t, admin, { name: "soar", role: "admin-read" });
  const attempts: [string, string, unknown][] = [
    ["POST", "/api/v1/api-keys", { name: "x", role: "viewer" }],
    ["POST", "/api/v1/users", {
      username: "mallory",
      password: "a-long-passphrase",
      role: "admin",
    }],
    ["PUT", "/api/v1/realism/config", {}],
    ["DELETE", "/api/v1/users/alice", undefined],
    ["POST", "/api/v1/auth/sse-ticket", undefined],
  ];
  for (const [method, path, json] of attempts) {
    const res = await t.request(path, { method, token: key, json });
    assert.equal(res.status, 403, `${method} ${path}`);
    assert.equal((await res.json()).error.code, "read_only_key");
  }
  const viaHeader = await t.request("/api/v1/auth/logout", {
    method: "POST",
    headers: { "x-api-key": key },
  });
  assert.equal(viaHeader.status, 403);
  await viaHeader.body?.cancel();
  assert.equal(await t.repos.users.findByUsername("mallory"), undefined);
});

Deno.test("a revoked, expired or unknown API key is a 401", async () => {
  await using t = await makeTestApp();
  const admin = await t.login("alice", "admin");
  const revoked = await createKey(t, admin, { name: "old", role: "viewer" });
  const expiring = await createKey(t, admin, {
    name: "temp",
    role: "viewer",
    expires_at: new Date(t.clock.now.getTime() + 3_600_000).toISOString(),
  });
  assert.equal((await t.request("/api/v1/attackers", { token: revoked.key })).status, 200);

  const del = await t.request(`/api/v1/api-keys/${revoked.uuid}`, {
    method: "DELETE",
    token: admin,
  });
  assert.equal(del.status, 200);
  assert.equal((await del.json()).state, "revoked");
  const after = await t.request("/api/v1/attackers", { token: revoked.key });
  assert.equal(after.status, 401);
  assert.equal((await after.json()).error.message, "API key revoked");
  const again = await t.request(`/api/v1/api-keys/${revoked.uuid}`, {
    method: "DELETE",
    token: admin,
  });
  assert.equal(again.status, 200);
  await again.body?.cancel();
  const missing = await t.request(`/api/v1/api-keys/${crypto.randomUUID()}`, {
    method: "DELETE",
    token: admin,
  });
  assert.equal(missing.status, 404);
  await missing.body?.cancel();

  assert.equal((await t.request("/api/v1/attackers", { token: expiring.key })).status, 200);
  t.clock.now = new Date(t.clock.now.getTime() + 3_600_000);
  const expired = await t.request("/api/v1/attackers", { token: expiring.key });
  assert.equal(expired.status, 401);
  assert.equal((await expired.json()).error.message, "API key expired");

  const unknown = await t.request("/api/v1/attackers", { token: `dk_${"A".repeat(43)}` });
  assert.equal(unknown.status, 401);
  await unknown.body?.cancel();

  const actions = (await t.repos.audit.list({ limit: 10, offset: 0 })).items.map((r) => r.action);
  assert.deepEqual(actions, ["api_key.revoked", "api_key.created", "api_key.created"]);
});

Deno.test("a viewer-scoped key cannot read admin-only data; an admin-read key can", async () => {
  await using t = await makeTestApp();
  await seedCredential(t);
  const admin = await t.login("alice", "admin");
  const viewer = await createKey(t, admin, { name: "siem", role: "viewer" });
  const full = await createKey(t, admin, { name: "ir", role: "admin-read" });

  const masked = await (await t.request("/api/v1/credentials", { token: viewer.key })).json();
  assert.equal(masked.items[0].username, "root");
  assert.equal(masked.items[0].secret, undefined);
  assert.ok(!JSON.stringify(masked).includes("hunter2-secret"));
  for (const path of ["/api/v1/users", "/api/v1/audit", "/api/v1/api-keys"]) {
    const res = await t.request(path, { token: viewer.key });
    assert.equal(res.status, 403, path);
    await res.body?.cancel();
  }

  const shown = await (await t.request("/api/v1/credentials", { token: full.key })).json();
  assert.equal(shown.items[0].secret, "hunter2-secret");
  assert.equal((await t.request("/api/v1/audit", { token: full.key })).status, 200);
});

Deno.test("POST /api/v1/api-keys is for admins, and a bad body names the field", async () => {
  await using t = await makeTestApp();
  const admin = await t.login("alice", "admin");
  const vera = await t.login("vera", "viewer");
  const denied = await t.request("/api/v1/api-keys", {
    method: "POST",
    token: vera,
    json: { name: "x", role: "viewer" },
  });
  assert.equal(denied.status, 403);
  await denied.body?.cancel();
  const cases: [Record<string, unknown>, string][] = [
    [{ name: "x", role: "admin" }, "body.role"],
    [{ name: "", role: "viewer" }, "body.name"],
    [{ name: "a\u0007b", role: "viewer" }, "body.name"],
    [{ name: "x", role: "viewer", expires_at: "tomorrow" }, "body.expires_at"],
    [{ name: "x", role: "viewer", expires_at: "2020-01-01T00:00:00Z" }, "body.expires_at"],
  ];
  for (const [json, field] of cases) {
    const res = await t.request("/api/v1/api-keys", { method: "POST", token: admin, json });
    assert.equal(res.status, 400, JSON.stringify(json));
    assert.equal((await res.json()).error.field, field);
  }
  assert.equal((await t.repos.apiKeys.list({ limit: 10, offset: 0 })).total, 0);
});

Deno.test("the OpenAPI document lists the key and audit routes, and API keys on GET routes only", async () => {
  await using t = await makeTestApp();
  const doc = await (await t.request("/api/v1/openapi.json")).json();
  assert.deepEqual(doc.components.securitySchemes.apiKey, {
    type: "apiKey",
    in: "header",
    name: "X-Api-Key",
  });
  assert.equal(doc.paths["/api/v1/audit"].get["x-role"], "admin");
  assert.deepEqual(doc.paths["/api/v1/audit"].get.security, [{ bearer: [] }, { apiKey: [] }]);
  assert.deepEqual(doc.paths["/api/v1/api-keys"].post.security, [{ bearer: [] }]);
  assert.deepEqual(
    Object.keys(
      doc.paths["/api/v1/api-keys"].post.requestBody.content["application/json"].schema.properties,
    ),
    ["name", "role", "expires_at"],
  );
  assert.ok(doc.paths["/api/v1/api-keys/{uuid}"].delete);
});
