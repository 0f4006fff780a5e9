import assert from "node:assert/strict";
import { REALISM_SETTINGS_KEY } from "../../realism/mod.ts";
import { makePersona } from "../realism/_fixtures.ts";
import { makeTestApp } from "./test_app.ts";
import type { TestApp } from "./test_app.ts";

async function seed(t: TestApp): Promise<void> {
  const base = {
    src_decky_uuid: "u1",
    src_decky_name: "ws-01",
    dst_decky_uuid: "u2",
    dst_decky_name: "ws-02",
    error: null,
  };
  await t.repos.orchestrator.insertEvent({
    ...base,
    ts: "2026-11-18T13:30:00.000Z",
    kind: "traffic",
    success: 1,
    payload: JSON.stringify({ login: "ana", commands: ["uptime", "df -h"], dst_ip: "192.0.2.12" }),
  });
  await t.repos.orchestrator.insertEvent({
    ...base,
    ts: "2026-11-18T13:40:00.000Z",
    kind: "file",
    success: 0,
    payload: JSON.stringify({ action: "create", path: "/home/ana/notes.txt" }),
    error: "exit code 1",
  });
  await t.repos.orchestrator.insertEvent({
    ...base,
    ts: "2026-11-18T10:00:00.000Z",
    kind: "file",
    success: 1,
    payload: JSON.stringify({ action: "edit", path: "/home/ana/todo.md" }),
  });
  await t.repos.orchestrator.insertEmail({
    ts: "2026-11-18T13:50:00.000Z",
    mail_decky_uuid: "m1",
    mail_decky_name: "mail-01",
    thread_id: "t1",
    message_id: "<b@corp.example>",
    in_reply_to: "<a@corp.example>",
    references_chain: "<a@corp.example>",
    sender: "ana@corp.example",
    recipient: "bo@corp.example",
    subject: "Re: Budget",
    language: "en",
    body: "Hi",
    path: "/var/spool/mail-archive/t1/b@corp.example.eml",
    success: 1,
    error: null,
  });
}

Deno.test("GET /api/v1/orchestrator/events lists events and e-mails", async (t) => {
  await using app = await makeTestApp();
  const token = await app.login("viewer1", "viewer");
  await seed(app);
  await t.step("all events, newest first", async () => {
    const res = await app.request("/api/v1/orchestrator/events", { token });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.total, 3);
    assert.deepEqual(body.items.map((e: { kind: string }) => e.kind), ["file", "traffic", "file"]);
    assert.equal(body.items[0].success, false);
    assert.deepEqual(body.items[1].payload.commands, ["uptime", "df -h"]);
  });
  await t.step("kind=email maps the e-mails to the same shape", async () => {
    const body = await (await app.request("/api/v1/orchestrator/events?kind=email", { token }))
      .json();
    assert.equal(body.total, 1);
    const m = body.items[0];
    assert.equal(m.kind, "email");
    assert.equal(m.dst_decky_name, "mail-01");
    assert.equal(m.success, true);
    assert.deepEqual(m.references, ["<a@corp.example>"]);
    assert.equal(m.subject, "Re: Budget");
  });
  await t.step("limit and offset", async () => {
    const body = await (await app.request("/api/v1/orchestrator/events?limit=1&offset=1", {
      token,
    })).json();
    assert.equal(body.items.length, 1);
    assert.equal(body.items[0].kind, "traffic");
    for (const bad of ["limit=0", "limit=1001", "kind=dns", "offset=-1"]) {
      const res = await app.request(`/api/v1/orchestrator/events?${bad}`, { token });
      assert.equal(res.status, 400, bad);
      await res.body?.cancel();
    }
  });
  await t.step("needs a signed-in user", async () => {
    const res = await app.request("/api/v1/orchestrator/events");
    assert.equal(res.status, 401);
    await res.body?.cancel();
  });
});

Deno.test("GET /api/v1/orchestrator/events/stats counts by kind and outcome", async () => {
  await using app = await makeTestApp();
  const token = await app.login("viewer1", "viewer");
  await seed(app);
  const all = await (await app.request("/api/v1/orchestrator/events/stats?since=1h", { token }))
    .json();
  assert.equal(all.since, "2026-11-18T13:00:00.000Z");
  assert.equal(all.total, 3);
  assert.deepEqual(all.by_kind.file, { total: 1, ok: 0, failed: 1 });
  assert.deepEqual(all.by_kind.email, { total: 1, ok: 1, failed: 0 });
  const failed = await (await app.request(
    "/api/v1/orchestrator/events/stats?since=1d&success=false",
    { token },
  )).json();
  assert.equal(failed.total, 1);
  const bad = await app.request("/api/v1/orchestrator/events/stats?since=soon", { token });
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error.message, /query\.since/);
});

Deno.test("PUT /api/v1/realism/personas writes the pool file, dropping invalid entries", async (t) => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/pool/personas.json`;
  await using app = await makeTestApp({ DECNET_REALISM_PERSONAS: path });
  const admin = await app.login("admin1", "admin");
  const viewer = await app.login("viewer1", "viewer");
  try {
    await t.step("empty pool reads as none", async () => {
      const body = await (await app.request("/api/v1/realism/personas", { token: viewer })).json();
      assert.deepEqual(body, { path, items: [], total: 0, dropped: [] });
    });
    await t.step("viewers cannot write", async () => {
      const res = await app.request("/api/v1/realism/personas", {
        method: "PUT",
        token: viewer,
        json: [makePersona()],
      });
      assert.equal(res.status, 403);
      await res.body?.cancel();
    });
    await t.step("a mixed list keeps the valid entries", async () => {
      const res = await app.request("/api/v1/realism/personas", {
        method: "PUT",
        token: admin,
        json: [
          makePersona(),
          { name: "Broken", email: "nope" },
          makePersona({ name: "Bo Li", email: "bo@corp.example" }),
        ],
      });
      assert.equal(res.status, 200);
      const body = await res.json();
      assert.equal(body.path, path);
      assert.equal(body.written, 2);
      assert.equal(body.dropped.length, 1);
      assert.match(body.dropped[0].reason, /^email:/);
      const onDisk = JSON.parse(await Deno.readTextFile(path));
      assert.deepEqual(onDisk.map((p: { name: string }) => p.name), ["Ana Lopez", "Bo Li"]);
      const read = await (await app.request("/api/v1/realism/personas", { token: viewer })).json();
      assert.equal(read.total, 2);
    });
    await t.step("400 only when none is valid", async () => {
      const res = await app.request("/api/v1/realism/personas", {
        method: "PUT",
        token: admin,
        json: [{ name: "Broken" }],
      });
      assert.equal(res.status, 400);
      assert.match((await res.json()).error.message, /no valid persona; entry 0 \(Broken\)/);
      assert.equal(JSON.parse(await Deno.readTextFile(path)).length, 2, "the stored pool stays");
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("GET/PUT /api/v1/realism/config validates the whole document", async () => {
  await using app = await makeTestApp();
  const admin = await app.login("admin1", "admin");
  const initial = await (await app.request("/api/v1/realism/config", { token: admin })).json();
  assert.equal(initial.stored, false);
  assert.deepEqual(initial.action_weights, { traffic: 45, file: 45, email: 10 });
  const bad = await app.request("/api/v1/realism/config", {
    method: "PUT",
    token: admin,
    json: { canary_probability: 3, llm: { enabled: "sure" } },
  });
  assert.equal(bad.status, 400);
  const message = (await bad.json()).error.message;
  assert.match(message, /canary_probability/);
  assert.match(message, /llm\.enabled/);
  assert.equal(await app.repos.settings.get(REALISM_SETTINGS_KEY), undefined);
  const ok = await app.request("/api/v1/realism/config", {
    method: "PUT",
    token: admin,
    json: { canary_probability: 0.2, action_weights: { email: 30 }, llm: { enabled: false } },
  });
  assert.equal(ok.status, 200);
  const body = await ok.json();
  assert.equal(body.canary_probability, 0.2);
  assert.deepEqual(body.action_weights, { traffic: 45, file: 45, email: 30 });
  const stored = await (await app.request("/api/v1/realism/config", { token: admin })).json();
  assert.equal(stored.stored, true);
  assert.equal(stored.llm.enabled, false);
});
