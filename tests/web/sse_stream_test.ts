import assert from "node:assert/strict";
import { Hono } from "hono";
import { canaryTopic, deckyStateTopic } from "../../core/bus/mod.ts";
import type { AppEnv } from "../../web/mod.ts";
import { HttpError } from "../../web/mod.ts";
import { sseStream } from "../../web/sse_stream.ts";
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

Deno.test("sseStream() refuses a missing or spent ticket", async () => {
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

Deno.test("sseStream() relays bus events of the asked families and frees the slot on close", async () => {
  await using t = await makeTestApp();
  const token = await t.login("alice", "viewer");
  const res = await t.request(
    `/api/v1/events/stream?topics=canary&ticket=${await ticketFor(t, token)}`,
  );
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/event-stream/);
  const reader = res.body!.getReader();
  await readUntil(reader, (s) => s.includes(": connected"));
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
  assert.match(text, /event: canary\ndata: \{"topic":"canary\.tok1\.triggered","payload":\{/);
  assert.match(text, /\nid: \S+/);
  assert.doesNotMatch(text, /event: decky/);
  await reader.cancel();
  assert.equal(t.deps.tickets.openStreams(user!.uuid), 0);
});

Deno.test("sseStream() caps open streams per user", async () => {
  await using t = await makeTestApp({ DECNET_SSE_MAX_PER_USER: "1" });
  const token = await t.login("alice", "viewer");
  const first = await t.request(`/api/v1/events/stream?ticket=${await ticketFor(t, token)}`);
  assert.equal(first.status, 200);
  const second = await t.request(`/api/v1/events/stream?ticket=${await ticketFor(t, token)}`);
  assert.equal(second.status, 429);
  await second.body?.cancel();
  await first.body?.cancel();
});

Deno.test("sseStream() replays missed events once and sends keepalives", async () => {
  await using t = await makeTestApp();
  const app = new Hono<AppEnv>();
  app.get("/s", (c) =>
    sseStream(c, t.deps, {
      patterns: ["canary.>"],
      toEvent: (m) => ({ event: "x", id: String(m.payload.trigger_id), data: m.payload }),
      replay: (last) => {
        // A live event published while the replay runs carries an id already replayed.
        t.deps.bus.publish(canaryTopic("a", "triggered"), {
          token_uuid: "a",
          event: "triggered",
          at: "2026-11-18T14:00:00Z",
          trigger_id: "3",
        });
        return Promise.resolve(
          [2, 3].filter((n) => n > Number(last)).map((n) => ({
            event: "x",
            id: String(n),
            data: { n },
          })),
        );
      },
      keepaliveMs: 5,
    }));
  app.onError((e, c) => c.json({ error: (e as HttpError).code }, (e as HttpError).status as 401));
  const user = { uuid: "u1", username: "alice", role: "viewer" as const };
  const { ticket } = t.deps.tickets.issue(user, t.clock.now.getTime());
  const res = await app.request(`/s?ticket=${ticket}`, { headers: { "last-event-id": "1" } });
  const reader = res.body!.getReader();
  const text = await readUntil(reader, (s) => s.includes(": keepalive"));
  await reader.cancel();
  assert.deepEqual([...text.matchAll(/^id: (\d+)$/gm)].map((m) => m[1]), ["2", "3"]);
});
