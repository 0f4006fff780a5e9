import assert from "node:assert/strict";
import { newestStreamIds, readStreamRows } from "../../../web/events/stream_rows.ts";
import { makeTokenInput } from "../_token_fixture.ts";
import { makeTestApp } from "../test_app.ts";

Deno.test("readStreamRows() gives orchestrator rows the topic and payload of their bus events", async () => {
  await using app = await makeTestApp();
  assert.deepEqual(await newestStreamIds(app.repos, ["trigger", "event", "email"]), {
    trigger: 0,
    event: 0,
    email: 0,
  });
  await app.repos.orchestrator.insertEvent({
    ts: "2026-11-18T13:30:00.000Z",
    kind: "traffic",
    src_decky_uuid: "u1",
    src_decky_name: "ws-01",
    dst_decky_uuid: "u2",
    dst_decky_name: "ws-02",
    success: 1,
    payload: JSON.stringify({ login: "ana", commands: ["uptime", "df -h"] }),
    error: null,
  });
  await app.repos.orchestrator.insertEvent({
    ts: "2026-11-18T13:40:00.000Z",
    kind: "file",
    src_decky_uuid: null,
    src_decky_name: null,
    dst_decky_uuid: "u2",
    dst_decky_name: "ws-02",
    success: 0,
    payload: JSON.stringify({ action: "create", content_class: "notes", path: "/home/ana/n.txt" }),
    error: "exit code 1",
  });
  await app.repos.orchestrator.insertEmail({
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
    path: "/var/mail/bo",
    success: 1,
    error: null,
  });
  const events = await readStreamRows(app.repos, "event", { afterId: 0, limit: 10 });
  assert.deepEqual(events.map((e) => [e.id, e.topic, e.payload.action, e.payload.detail]), [
    [1, "orchestrator.traffic.ws-01", "ssh", "ana@ws-01 -> ws-02:22 uptime; df -h"],
    [
      2,
      "orchestrator.file.ws-02",
      "create",
      "create notes /home/ana/n.txt on ws-02 failed: exit code 1",
    ],
  ]);
  assert.equal(events[1].payload.ok, false);
  const [email] = await readStreamRows(app.repos, "email", { afterId: 0, limit: 10 });
  assert.deepEqual(email.payload, {
    decky: "mail-01",
    kind: "email",
    action: "reply",
    at: "2026-11-18T13:50:00.000Z",
    ok: true,
    detail: 'ana@corp.example -> bo@corp.example "Re: Budget"',
  });
  assert.deepEqual(await readStreamRows(app.repos, "event", { afterId: 2, limit: 10 }), []);
  assert.deepEqual(await newestStreamIds(app.repos, ["event", "email"]), { event: 2, email: 1 });
});

Deno.test("readStreamRows() sends a rollup row with its scope, total hits and last hit", async () => {
  // Ten hits per source and minute are rows of their own (the default rate); the rest roll up.
  await using app = await makeTestApp();
  const token = makeTokenInput();
  await app.repos.canary.insertToken(token);
  for (let i = 0; i < 12; i++) {
    await app.repos.canary.recordTrigger({
      tokenUuid: token.uuid,
      occurredAt: new Date(Date.UTC(2026, 10, 18, 14, 0, i)),
      srcIp: "192.0.2.9",
      userAgent: null,
      method: "GET",
      requestPath: "/c/x",
      dnsQname: null,
      dnsClientSubnet: null,
      headers: {},
    });
  }
  const rows = await readStreamRows(app.repos, "trigger", { afterId: 0, limit: 50 });
  const rollup = rows.find((r) => r.payload.rollup_scope);
  assert.ok(rollup, JSON.stringify(rows));
  assert.equal(rollup.payload.rollup_scope, "source");
  assert.equal(rollup.payload.hit_count, 2);
  assert.equal(rollup.payload.last_at, "2026-11-18T14:00:11.000Z");
  assert.equal(rollup.payload.token_kind, "http");
  assert.equal(rollup.payload.decky_name, "web-01");
});
