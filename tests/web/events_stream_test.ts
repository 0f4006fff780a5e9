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
