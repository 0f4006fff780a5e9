import assert from "node:assert/strict";
import { canaryTopic, deckyStateTopic } from "../../core/bus/mod.ts";
import { makeTestApp } from "./test_app.ts";
import type { TestApp } from "./test_app.ts";

async function ticketFor(t: TestApp, token: string): Promise<string> {
  const res = await t.request("/api/v1/auth/sse-ticket", { method: "POST", token });
  return (await res.json()).ticket;
}

/** Reads the stream until `predicate` holds for the text so far. */
async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  predicate: (text: string) => boolean,
): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  while (!predicate(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

Deno.test("eventsRouter() stream refuses a missing or spent ticket", async () => {
  await using t = await makeTestApp();
  const token = await t.login("alice", "viewer");
  const none = await t.request("/api/v1/events/stream");
  assert.equal(none.status, 401);
  assert.equal((await none.json()).error.field, "query.ticket");
  const ticket = await ticketFor(t, token);
  const first = await t.request(`/api/v1/events/stream?ticket=${ticket}`);
  assert.equal(first.status, 200);
  await first.body?.cancel();
  const again = await t.request(`/api/v1/events/stream?ticket=${ticket}`);
  assert.equal(again.status, 401);
  await again.body?.cancel();
});

Deno.test("eventsRouter() stream relays bus events of the asked families and frees the slot on close", async () => {
  await using t = await makeTestApp();
  const token = await t.login("alice", "viewer");
  const res = await t.request(
    `/api/v1/events/stream?topics=canary&ticket=${await ticketFor(t, token)}`,
  );
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/event-stream/);
  const reader = res.body!.getReader();
  await readUntil(reader, (s) => s.includes("retry:"));
  const user = await t.repos.users.findByUsername("alice");
  assert.equal(t.deps.tickets.openStreams(user!.uuid), 1);
  t.deps.bus.publish(deckyStateTopic("local", "d1"), {
    host_uuid: "local",
    decky: "d1",
    from: null,
    to: "running",
    at: "2026-11-18T14:00:00Z",
  });
  t.deps.bus.publish(canaryTopic("tok1", "triggered"), {
    token_uuid: "tok1",
    event: "triggered",
    at: "2026-11-18T14:00:00Z",
    trigger_id: "7",
  });
  const text = await readUntil(reader, (s) => s.includes("event: canary"));
  assert.match(
    text,
    /id: \S+\nevent: canary\ndata: \{"topic":"canary\.tok1\.triggered","payload":\{/,
  );
  assert.doesNotMatch(text, /event: decky/);
  await reader.cancel();
  assert.equal(t.deps.tickets.openStreams(user!.uuid), 0);
});

Deno.test("eventsRouter() stream caps open streams per user", async () => {
  await using t = await makeTestApp({ DECNET_SSE_MAX_PER_USER: "1" });
  const token = await t.login("alice", "viewer");
  const first = await t.request(`/api/v1/events/stream?ticket=${await ticketFor(t, token)}`);
  assert.equal(first.status, 200);
  const second = await t.request(`/api/v1/events/stream?ticket=${await ticketFor(t, token)}`);
  assert.equal(second.status, 429);
  await second.body?.cancel();
  await first.body?.cancel();
});

Deno.test("eventsRouter() stream of several families filters the rest out", async () => {
  await using t = await makeTestApp();
  const token = await t.login("alice", "viewer");
  const res = await t.request(
    `/api/v1/events/stream?topics=decky,health&ticket=${await ticketFor(t, token)}`,
  );
  const reader = res.body!.getReader();
  await readUntil(reader, (s) => s.includes("retry:"));
  t.deps.bus.publish(canaryTopic("tok1", "triggered"), {
    token_uuid: "tok1",
    event: "triggered",
    at: "2026-11-18T14:00:00Z",
  });
  t.deps.bus.publish(deckyStateTopic("local", "d1"), {
    host_uuid: "local",
    decky: "d1",
    from: "pending",
    to: "running",
    at: "2026-11-18T14:00:00Z",
  });
  const text = await readUntil(reader, (s) => s.includes("event: decky"));
  await reader.cancel();
  assert.doesNotMatch(text, /event: canary/);
  assert.match(text, /"to":"running"/);
});

Deno.test("eventsRouter() stream rejects unknown families naming the query field", async () => {
  await using t = await makeTestApp();
  const token = await t.login("alice", "viewer");
  const res = await t.request(
    `/api/v1/events/stream?topics=secrets&ticket=${await ticketFor(t, token)}`,
  );
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error.field, "query.topics");
});

/**
 * Reads until the server closes the stream; returns everything it sent. A
 * stream still open after 10 s fails the test (instead of hanging it).
 */
async function readToEnd(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  let text = "";
  const decoder = new TextDecoder();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stuck = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reader.cancel().catch(() => {});
      reject(new Error(`Stream still open after 10 s; got: ${text}`));
    }, 10_000);
  });
  try {
    for (let r = await Promise.race([reader.read(), stuck]); !r.done;) {
      text += decoder.decode(r.value, { stream: true });
      r = await Promise.race([reader.read(), stuck]);
    }
  } finally {
    clearTimeout(timer);
  }
  return text;
}

async function openStream(app: TestApp, token: string) {
  const res = await app.request(`/api/v1/events/stream?ticket=${await ticketFor(app, token)}`);
  assert.equal(res.status, 200);
  const reader = res.body!.getReader();
  await readUntil(reader, (s) => s.includes("retry:"));
  return reader;
}

Deno.test("sseStream() closes the streams of a session logged out here at once", async () => {
  // No periodic check within the test: only the logout's own signal can close the stream.
  await using app = await makeTestApp({}, { sessionCheckMs: 3_600_000 });
  const token = await app.login("alice", "viewer");
  const reader = await openStream(app, token);
  const other = await openStream(app, await app.login("bob", "viewer"));
  const out = await app.request("/api/v1/auth/logout", { method: "POST", token });
  assert.equal(out.status, 204);
  assert.match(await readToEnd(reader), /event: session_ended\ndata: \{"reason":"Token revoked"\}/);
  const alice = await app.repos.users.findByUsername("alice");
  assert.equal(app.deps.tickets.openStreams(alice!.uuid), 0);
  // Another user's stream stays open.
  const bob = await app.repos.users.findByUsername("bob");
  assert.equal(app.deps.tickets.openStreams(bob!.uuid), 1);
  // An admin removing the user through the API closes that user's streams at once too.
  const admin = await app.login("root", "admin");
  const removed = await app.request("/api/v1/users/bob", { method: "DELETE", token: admin });
  assert.equal(removed.status, 204);
  assert.match(await readToEnd(other), /"reason":"Unknown user"/);
});

Deno.test("sseStream() closes open streams when their session ends elsewhere", async (t) => {
  await using app = await makeTestApp();
  await t.step("password changed by another process: at the next periodic check", async () => {
    const token = await app.login("carol", "viewer");
    const reader = await openStream(app, token);
    app.clock.now = new Date(app.clock.now.getTime() + 2000);
    // Straight to the database, as `decnet user passwd` in another process does: no in-process signal.
    await app.repos.users.setPassword("carol", "new-hash");
    assert.match(
      await readToEnd(reader),
      /"reason":"Token issued before the last password change"/,
    );
  });
  await t.step("user removed by another process", async () => {
    const token = await app.login("dave", "viewer");
    const reader = await openStream(app, token);
    await app.repos.users.remove("dave");
    assert.match(await readToEnd(reader), /"reason":"Unknown user"/);
  });
  await t.step("a ticket issued before the logout opens nothing", async () => {
    const token = await app.login("erin", "viewer");
    const ticket = await ticketFor(app, token);
    await (await app.request("/api/v1/auth/logout", { method: "POST", token })).body?.cancel();
    const res = await app.request(`/api/v1/events/stream?ticket=${ticket}`);
    assert.equal(res.status, 401);
    assert.match((await res.json()).error.message, /session ended: Token revoked/);
  });
});
