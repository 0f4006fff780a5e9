import assert from "node:assert/strict";
import { Hono } from "hono";
import {
  campaignTopic,
  canaryTopic,
  controlTopic,
  deckyStateTopic,
  healthTopic,
  identityTopic,
  orchestratorTopic,
  serviceEventTopic,
} from "../../core/bus/mod.ts";
import type { BusPayload } from "../../core/bus/mod.ts";
import type { TriggerInput } from "../../core/db/mod.ts";
import { canaryTriggerEvent } from "../../core/attackers/canary_trigger_event.ts";
import { serviceEventView } from "../../core/attackers/attacker_views.ts";
import { makeSensorEvent } from "../core/db/attackers_contract.ts";
import { sseStream } from "../../web/mod.ts";
import type { AppEnv } from "../../web/mod.ts";
import { waitUntil } from "../infra/wait_until.ts";
import { makeTokenInput } from "./_token_fixture.ts";
import { makeTestApp } from "./test_app.ts";
import type { TestApp } from "./test_app.ts";

const TOKEN = makeTokenInput();

async function ticketFor(t: TestApp, token: string): Promise<string> {
  const res = await t.request("/api/v1/auth/sse-ticket", { method: "POST", token });
  return (await res.json()).ticket;
}

/** One parsed server-sent event. */
interface Sse {
  id?: string;
  event: string;
  data: { topic: string; payload: Record<string, unknown> } & Record<string, unknown>;
}

/** Reads a stream's events as they come. */
class SseReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  text = "";
  #parsed = 0;
  readonly events: Sse[] = [];
  done = false;

  constructor(res: Response) {
    this.#reader = res.body!.getReader();
  }

  /** Reads until `predicate` holds for the events so far (or the stream ends); returns the new ones. */
  async until(predicate: (events: Sse[]) => boolean): Promise<Sse[]> {
    const from = this.events.length;
    while (!predicate(this.events.slice(from)) && !this.done) {
      const { value, done } = await this.#reader.read();
      if (done) this.done = true;
      else this.text += this.#decoder.decode(value, { stream: true });
      this.#parse();
    }
    return this.events.slice(from);
  }

  /** Reads until an event named `name`; returns the events before it and it. */
  next(name: string): Promise<Sse[]> {
    return this.until((events) => events.some((e) => e.event === name));
  }

  cancel(): Promise<void> {
    return this.#reader.cancel();
  }

  #parse(): void {
    const frames = this.text.split("\n\n");
    for (const frame of frames.slice(this.#parsed, -1)) {
      this.#parsed++;
      const fields = new Map<string, string>();
      for (const line of frame.split("\n")) {
        const at = line.indexOf(": ");
        if (line.startsWith(":") || at < 0) continue;
        fields.set(line.slice(0, at), line.slice(at + 2));
      }
      if (!fields.has("event")) continue;
      this.events.push({
        ...(fields.has("id") ? { id: fields.get("id") } : {}),
        event: fields.get("event")!,
        data: JSON.parse(fields.get("data") ?? "null"),
      });
    }
  }
}

async function openStream(
  t: TestApp,
  token: string,
  query: string,
  headers: Record<string, string> = {},
): Promise<SseReader> {
  const res = await t.request(
    `/api/v1/events/stream?${query}${query ? "&" : ""}ticket=${await ticketFor(t, token)}`,
    { headers },
  );
  if (res.status !== 200) assert.fail(`status ${res.status}: ${await res.text()}`);
  assert.match(res.headers.get("content-type") ?? "", /^text\/event-stream/);
  return new SseReader(res);
}

function trigger(at: string, srcIp: string): TriggerInput {
  return {
    tokenUuid: TOKEN.uuid,
    occurredAt: new Date(at),
    srcIp,
    userAgent: "curl/8.0",
    method: "GET",
    requestPath: `/c/${TOKEN.callback_token}`,
    dnsQname: null,
    dnsClientSubnet: null,
    headers: {},
  };
}

/** Stores a trigger and publishes it as the collector does. */
async function recordTrigger(t: TestApp, at: string, srcIp: string): Promise<BusPayload> {
  const input = trigger(at, srcIp);
  const { stored } = await t.repos.canary.recordTriggers([input]);
  const payload = canaryTriggerEvent(stored[0]);
  t.deps.bus.publish(canaryTopic(TOKEN.uuid, "triggered"), payload);
  return payload;
}

/** Stores an orchestrator event (traffic from `decky`) or an email; publishes it when asked. */
async function recordActivity(
  t: TestApp,
  kind: "traffic" | "email",
  decky: string,
  at: string,
  publish = true,
): Promise<void> {
  if (kind === "traffic") {
    await t.repos.orchestrator.insertEvent({
      ts: at,
      kind,
      src_decky_uuid: null,
      src_decky_name: decky,
      dst_decky_uuid: null,
      dst_decky_name: "db-01",
      success: 1,
      payload: JSON.stringify({ login: "ann", commands: ["ls"] }),
      error: null,
    });
  } else {
    await t.repos.orchestrator.insertEmail({
      ts: at,
      mail_decky_uuid: "m",
      mail_decky_name: decky,
      thread_id: "t1",
      message_id: `<${at}@corp.example>`,
      in_reply_to: null,
      references_chain: "",
      sender: "ann@corp.example",
      recipient: "bob@corp.example",
      subject: "Budget",
      language: "en",
      body: "hi",
      path: "/var/mail/bob",
      success: 1,
      error: null,
    });
  }
  if (publish) {
    t.deps.bus.publish(orchestratorTopic(kind, decky), {
      decky,
      kind,
      action: kind === "traffic" ? "ssh" : "send",
      at,
      ok: true,
    });
  }
}

function summary(events: Sse[]): string[] {
  return events.map((e) =>
    `${e.event} ${e.id ?? "-"} ${e.data.topic ?? ""} ${
      e.data.payload?.at ?? e.data.payload?.occurred_at ?? ""
    }`.trim()
  );
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

Deno.test("eventsRouter() stream refuses a bad topic or Last-Event-ID naming the field", async (t) => {
  await using app = await makeTestApp();
  const token = await app.login("alice", "viewer");
  const cases: [string, Record<string, string>, string, RegExp][] = [
    ["topic=canary..triggered", {}, "query.topic", /dot-separated tokens/],
    ["topic=canary.%3E.triggered", {}, "query.topic", /'>' only as the last token/],
    ["topic=", {}, "query.topic", /non-empty/],
    [
      "topic=system.*.control",
      {},
      "query.topic",
      /system\.\*\.health, .*got "system\.\*\.control"/,
    ],
    ["topic=secrets", {}, "query.topic", /got "secrets"/],
    ["topic=decky.>&last_event_id=trigger:x", {}, "query.last_event_id", /got "trigger:x"/],
    ["", { "last-event-id": "email:1,email:2" }, "header.last-event-id", /each once/],
  ];
  for (const [query, headers, field, message] of cases) {
    await t.step(`${query} ${JSON.stringify(headers)}`, async () => {
      const res = await app.request(
        `/api/v1/events/stream?${query}&ticket=${await ticketFor(app, token)}`,
        { headers },
      );
      assert.equal(res.status, 400);
      const { error } = await res.json();
      assert.equal(error.field, field);
      assert.match(error.message, message);
    });
  }
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

Deno.test("eventsRouter() stream relays live-only topics asked for, without ids, and unsubscribes on close", async () => {
  await using t = await makeTestApp();
  const token = await t.login("alice", "viewer");
  const before = t.deps.bus.stats().subscriptions.length;
  const s = await openStream(t, token, "topic=decky.*.state&topic=system.*.health");
  assert.equal((await s.next("ready")).at(-1)!.id, undefined);
  const alice = await t.repos.users.findByUsername("alice");
  assert.equal(t.deps.tickets.openStreams(alice!.uuid), 1);
  assert.equal(t.deps.bus.stats().subscriptions.length, before + 2);
  const at = "2026-11-18T14:00:00.000Z";
  t.deps.bus.publish(canaryTopic(TOKEN.uuid, "placed"), {
    token_uuid: TOKEN.uuid,
    event: "placed",
    at,
  });
  t.deps.bus.publish(deckyStateTopic("local", "d1"), {
    host_uuid: "local",
    decky: "d1",
    from: null,
    to: "running",
    at,
  });
  t.deps.bus.publish(healthTopic("api"), {
    worker: "api",
    status: "ok",
    state: "running",
    at,
    uptime_seconds: 1,
    restarts: 0,
  });
  const events = await s.next("health");
  assert.deepEqual(summary(events), [
    `decky - decky.local:d1.state ${at}`,
    `health - system.api.health ${at}`,
  ]);
  assert.equal(events[0].data.payload.to, "running");
  await s.cancel();
  assert.equal(t.deps.tickets.openStreams(alice!.uuid), 0);
  assert.equal(t.deps.bus.stats().subscriptions.length, before);
});

Deno.test("eventsRouter() stream of every topic never carries control messages", async () => {
  await using t = await makeTestApp();
  const s = await openStream(t, await t.login("alice", "viewer"), "topic=%3E");
  await s.next("ready");
  const at = "2026-11-18T14:00:00.000Z";
  t.deps.bus.publish(controlTopic("api"), { action: "stop", at, reason: "secret reason" });
  t.deps.bus.publish(healthTopic("api"), {
    worker: "api",
    status: "ok",
    state: "running",
    at,
    uptime_seconds: 1,
    restarts: 0,
  });
  const events = await s.next("health");
  await s.cancel();
  assert.deepEqual(events.map((e) => e.data.topic), ["system.api.health"]);
  assert.doesNotMatch(s.text, /secret reason|control/);
});

Deno.test("eventsRouter() stream sends a live trigger from its row, with the row id, as the collector published it", async () => {
  await using t = await makeTestApp();
  await t.repos.canary.insertToken(TOKEN);
  await recordTrigger(t, "2026-11-18T13:00:00.000Z", "192.0.2.1");
  const [old] = await t.repos.canary.listTriggersForStream({ limit: 1 });
  const s = await openStream(t, await t.login("alice", "viewer"), "topic=canary.*.triggered");
  // A first connection starts at the newest row: the older one is not sent.
  assert.deepEqual(summary(await s.next("ready")), [`ready trigger:${old.id}`]);
  const published = await recordTrigger(t, "2026-11-18T14:00:00.000Z", "192.0.2.2");
  const [event] = await s.next("canary");
  await s.cancel();
  assert.equal(event.id, `trigger:${Number(old.id) + 1}`);
  assert.equal(event.data.topic, canaryTopic(TOKEN.uuid, "triggered"));
  assert.deepEqual(event.data.payload, published);
});

Deno.test("eventsRouter() stream resumes from Last-Event-ID with exactly the rows stored meanwhile, then live", async (t) => {
  await using app = await makeTestApp();
  await app.repos.canary.insertToken(TOKEN);
  const token = await app.login("alice", "viewer");
  const topics = "topic=canary.*.triggered&topic=orchestrator.>";
  const s = await openStream(app, token, topics);
  assert.deepEqual(summary(await s.next("ready")), ["ready trigger:0,event:0,email:0"]);
  await recordTrigger(app, "2026-11-18T14:00:01.000Z", "192.0.2.1");
  await recordActivity(app, "traffic", "ws-01", "2026-11-18T14:00:02.000Z");
  await recordActivity(app, "email", "mail-01", "2026-11-18T14:00:03.000Z");
  const live = await s.until((e) => e.length === 3);
  assert.deepEqual(summary(live), [
    `canary trigger:1,event:0,email:0 canary.${TOKEN.uuid}.triggered 2026-11-18T14:00:01.000Z`,
    "orchestrator trigger:1,event:1,email:0 orchestrator.traffic.ws-01 2026-11-18T14:00:02.000Z",
    "orchestrator trigger:1,event:1,email:1 orchestrator.email.mail-01 2026-11-18T14:00:03.000Z",
  ]);
  await s.cancel();

  // Disconnected: rows are stored (their bus messages reach nobody).
  await recordTrigger(app, "2026-11-18T14:00:04.000Z", "192.0.2.2");
  await recordActivity(app, "traffic", "ws-02", "2026-11-18T14:00:05.000Z");
  await recordTrigger(app, "2026-11-18T14:00:06.000Z", "192.0.2.3");
  await recordActivity(app, "email", "mail-01", "2026-11-18T14:00:07.000Z");
  const missed = [
    `canary trigger:2,event:1,email:1 canary.${TOKEN.uuid}.triggered 2026-11-18T14:00:04.000Z`,
    `canary trigger:3,event:1,email:1 canary.${TOKEN.uuid}.triggered 2026-11-18T14:00:06.000Z`,
    "orchestrator trigger:3,event:2,email:1 orchestrator.traffic.ws-02 2026-11-18T14:00:05.000Z",
    "orchestrator trigger:3,event:2,email:2 orchestrator.email.mail-01 2026-11-18T14:00:07.000Z",
    "ready trigger:3,event:2,email:2",
  ];

  await t.step("the Last-Event-ID header", async () => {
    const again = await openStream(app, token, topics, { "last-event-id": live[2].id! });
    assert.deepEqual(summary(await again.next("ready")), missed);
    // A late message for a row already sent sends nothing; the next row goes out once.
    app.deps.bus.publish(canaryTopic(TOKEN.uuid, "triggered"), {
      token_uuid: TOKEN.uuid,
      event: "triggered",
      at: "x",
    });
    await recordTrigger(app, "2026-11-18T14:00:08.000Z", "192.0.2.4");
    assert.deepEqual(summary(await again.next("canary")), [
      `canary trigger:4,event:2,email:2 canary.${TOKEN.uuid}.triggered 2026-11-18T14:00:08.000Z`,
    ]);
    await again.cancel();
  });

  await t.step("the last_event_id parameter (EventSource reopened with a new ticket)", async () => {
    const again = await openStream(
      app,
      token,
      `${topics}&last_event_id=${encodeURIComponent(live[2].id!)}`,
    );
    const events = await again.next("ready");
    await again.cancel();
    assert.deepEqual(summary(events).slice(0, 2), missed.slice(0, 2));
    assert.equal(events.length, 6, "trigger 4 too");
  });

  await t.step(
    "a narrower topic replays only its rows, and its cursor names only its table",
    async () => {
      const again = await openStream(app, token, "topic=orchestrator.email.*", {
        "last-event-id": "email:1",
      });
      assert.deepEqual(summary(await again.next("ready")), [
        "orchestrator email:2 orchestrator.email.mail-01 2026-11-18T14:00:07.000Z",
        "ready email:2",
      ]);
      await again.cancel();
    },
  );

  await t.step("a topic naming one decky skips the other deckies' rows", async () => {
    const again = await openStream(app, token, "topic=orchestrator.traffic.ws-02", {
      "last-event-id": "event:0",
    });
    assert.deepEqual(summary(await again.next("ready")), [
      "orchestrator event:2 orchestrator.traffic.ws-02 2026-11-18T14:00:05.000Z",
      "ready event:2",
    ]);
    await again.cancel();
  });
});

Deno.test("eventsRouter() stream sends a grown rollup row live, without an id", async () => {
  await using t = await makeTestApp();
  await t.repos.canary.insertToken(TOKEN);
  const s = await openStream(t, await t.login("alice", "viewer"), "topic=canary.*.triggered");
  await s.next("ready");
  // A rollup row the stream already sent, grown: same id, more hits.
  const first = await recordTrigger(t, "2026-11-18T14:00:00.000Z", "198.51.100.7");
  await s.next("canary");
  const grown = { ...first, rollup_scope: "prefix", src_ip: "198.51.100.0/24", hit_count: 57 };
  t.deps.bus.publish(canaryTopic(TOKEN.uuid, "triggered"), grown);
  const [event] = await s.next("canary");
  await s.cancel();
  assert.equal(event.id, undefined);
  assert.deepEqual(event.data.payload, grown);
});

Deno.test("eventsRouter() stream drops a client that stops reading instead of buffering without bound", async () => {
  await using t = await makeTestApp();
  const token = await t.login("alice", "viewer");
  const alice = await t.repos.users.findByUsername("alice");
  const before = t.deps.bus.stats().subscriptions.length;
  const s = await openStream(t, token, "topic=decky.*.state");
  await s.next("ready");
  const at = "2026-11-18T14:00:00.000Z";
  // More than the 1024 messages one client may have waiting, in batches the bus hands over
  // (its own subscription queue is bounded too).
  for (let batch = 0; batch < 3; batch++) {
    for (let i = 0; i < 400; i++) {
      const decky = `d${batch}-${i}`;
      t.deps.bus.publish(deckyStateTopic("local", decky), {
        host_uuid: "local",
        decky,
        from: null,
        to: "running",
        at,
      });
    }
    await waitUntil(() => t.deps.bus.stats().subscriptions.every((s) => s.queued === 0), {
      what: "the bus delivered the batch",
    });
  }
  await waitUntil(() => t.deps.tickets.openStreams(alice!.uuid) === 0, {
    what: "the slow client dropped",
  });
  assert.equal(t.deps.bus.stats().subscriptions.length, before);
  const rest = await s.until(() => false);
  assert.ok(s.done);
  assert.ok(rest.length < 1200, `${rest.length} events buffered`);
});

Deno.test("sseStream() sends keepalive comments while nothing happens", async () => {
  await using t = await makeTestApp();
  const app = new Hono<AppEnv>();
  app.get("/s", (c) =>
    sseStream(c, {
      deps: t.deps,
      subscriptions: ["decky.>"],
      backlog: async function* () {},
      live: async function* () {},
      keepaliveMs: 5,
    }));
  const ticket = await ticketFor(t, await t.login("alice", "viewer"));
  const s = new SseReader(await app.request(`/s?ticket=${ticket}`));
  await s.until(() => (s.text.match(/^: keepalive$/gm) ?? []).length >= 2);
  await s.cancel();
  assert.match(s.text, /^retry: 3000\n\n(: keepalive\n\n)+/);
});

/**
 * Reads until the server closes the stream; returns everything it sent. A
 * stream still open after 10 s fails the test (instead of hanging it).
 */
async function readToEnd(s: SseReader): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stuck = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      s.cancel().catch(() => {});
      reject(new Error(`Stream still open after 10 s; got: ${s.text}`));
    }, 10_000);
  });
  try {
    await Promise.race([s.until(() => false), stuck]);
  } finally {
    clearTimeout(timer);
  }
  return s.text;
}

async function openAny(app: TestApp, token: string): Promise<SseReader> {
  const s = await openStream(app, token, "");
  await s.next("ready");
  return s;
}

Deno.test("sseStream() closes the streams of a session logged out here at once", async () => {
  // No periodic check within the test: only the logout's own signal can close the stream.
  await using app = await makeTestApp({}, { sessionCheckMs: 3_600_000 });
  const token = await app.login("alice", "viewer");
  const reader = await openAny(app, token);
  const other = await openAny(app, await app.login("bob", "viewer"));
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
    const reader = await openAny(app, token);
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
    const reader = await openAny(app, token);
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

Deno.test("OpenAPI documents the one stream: its parameters and which events are live only", async () => {
  await using t = await makeTestApp();
  const doc = await (await t.request("/api/v1/openapi.json")).json();
  const stream = doc.paths["/api/v1/events/stream"].get;
  assert.deepEqual(stream.parameters.map((p: { name: string }) => p.name), [
    "topic",
    "ticket",
    "last_event_id",
  ]);
  assert.equal(stream["x-role"], "public");
  assert.match(stream.description, /Last-Event-ID/);
  assert.match(stream.description, /`system\.\*\.health`[^.]*are live only/);
  assert.equal(doc.paths["/api/v1/canary/events/stream"], undefined);
  assert.equal(doc.paths["/api/v1/orchestrator/events/stream"], undefined);
});

Deno.test("eventsRouter() stream carries sensor events by row id and resumes them", async () => {
  await using app = await makeTestApp();
  const token = await app.login("alice", "viewer");
  let position = { logTime: "", linesAtTime: 0 };
  const store = async (command: string, second: number) => {
    const to = { logTime: `2026-11-18T14:00:0${second}.000000000Z`, linesAtTime: 1 };
    const { events } = await app.repos.attackers.storeSensorBatch({
      container: "c1",
      decky: "web-01",
      from: position,
      to,
      badLines: 0,
      isBenign: () => false,
      events: [
        makeSensorEvent({ kind: "command", command, time: `2026-11-18T14:00:0${second}.000Z` }),
      ],
    });
    position = to;
    const payload = serviceEventView(events[0]);
    app.deps.bus.publish(serviceEventTopic("web-01", "ssh"), payload);
    return payload;
  };
  const s = await openStream(app, token, "topic=service.>");
  assert.deepEqual(summary(await s.next("ready")), ["ready service:0"]);
  const live = await store("id", 1);
  const [event] = await s.next("service");
  await s.cancel();
  assert.equal(event.id, `service:${live.id}`);
  assert.deepEqual(event.data.payload, live);
  // Stored while nobody listened: a reconnection gets it from the database.
  const missed = await store("uname -a", 2);
  const again = await openStream(
    app,
    token,
    `topic=service.>&last_event_id=${encodeURIComponent(event.id!)}`,
  );
  const [replayed] = await again.next("service");
  await again.cancel();
  assert.deepEqual(replayed.data.payload, missed);
});

Deno.test("eventsRouter() stream relays identity and campaign events live", async () => {
  await using t = await makeTestApp();
  const token = await t.login("alice", "viewer");
  const s = await openStream(t, token, "topic=identity.>&topic=campaign.>");
  await s.next("ready");
  const at = "2026-11-18T14:00:00.000Z";
  t.deps.bus.publish(identityTopic(3, "campaign_assigned"), {
    identity_id: 3,
    campaign_id: "c1",
    previous_campaign_id: null,
    at,
  });
  t.deps.bus.publish(campaignTopic("c2", "merged"), {
    campaign_id: "c2",
    other_id: "c1",
    event: "merged",
    manual: false,
    at,
  });
  const events = [...await s.next("identity"), ...await s.next("campaign")];
  await s.cancel();
  assert.deepEqual(summary(events), [
    `identity - identity.3.campaign_assigned ${at}`,
    `campaign - campaign.c2.merged ${at}`,
  ]);
});
