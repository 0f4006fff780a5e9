/**
 * The one live feed (`/api/v1/events/stream`, in process): how fast a
 * reconnecting client catches up from the database, and the cost of a live
 * trigger (a database read per stream) fanned out to several clients.
 */
import { canaryTopic } from "../../core/bus/mod.ts";
import { canaryTriggerEvent } from "../../core/attackers/canary_trigger_event.ts";
import type { TriggerInput } from "../../core/db/mod.ts";
import { makeTokenInput } from "../web/_token_fixture.ts";
import { makeTestApp } from "../web/test_app.ts";

const CATCH_UP_ROWS = 2000;
const CLIENTS = 10;
const LIVE_TRIGGERS = 200;

await using t = await makeTestApp({ DECNET_SSE_MAX_PER_USER: String(CLIENTS + 1) });
const token = makeTokenInput();
await t.repos.canary.insertToken(token);
const viewer = await t.login("bench", "viewer");

function trigger(i: number): TriggerInput {
  return {
    tokenUuid: token.uuid,
    // Distinct sources, 50 a minute (under the per-token cap): no hit is rolled up.
    occurredAt: new Date(Date.UTC(2026, 10, 18, 14, 0, 0) + i * 1200),
    srcIp: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    userAgent: "curl/8.0",
    method: "GET",
    requestPath: `/c/${token.callback_token}`,
    dnsQname: null,
    dnsClientSubnet: null,
    headers: {},
  };
}

async function open(query: string, headers: Record<string, string> = {}) {
  const { ticket } = await (await t.request("/api/v1/auth/sse-ticket", {
    method: "POST",
    token: viewer,
  })).json();
  const res = await t.request(`/api/v1/events/stream?${query}&ticket=${ticket}`, { headers });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  let events = 0;
  return {
    /** Reads until `n` more `event: canary` lines arrived. */
    async read(n: number, until = "event: canary"): Promise<void> {
      const want = events + n;
      while (events < want) {
        const { value, done } = await reader.read();
        if (done) throw new Error("stream ended");
        text += value;
        const parts = text.split(until);
        events += parts.length - 1;
        // Only a marker split across chunks matters in what is left.
        text = parts.at(-1)!.slice(-until.length);
      }
    },
    cancel: () => reader.cancel(),
  };
}

const batch = Array.from({ length: CATCH_UP_ROWS }, (_, i) => trigger(i));
const { stored } = await t.repos.canary.recordTriggers(batch);
if (stored.length !== CATCH_UP_ROWS) throw new Error(`${stored.length} rows stored`);
const started = performance.now();
const resumed = await open("topic=canary.*.triggered", { "last-event-id": "trigger:0" });
await resumed.read(1, "event: ready");
const ms = performance.now() - started;
await resumed.cancel();
console.log(
  `catch-up of ${CATCH_UP_ROWS} triggers from the database: ${ms.toFixed(0)} ms (${
    Math.round(CATCH_UP_ROWS / ms * 1000)
  } rows/s)`,
);

const clients = [];
for (let i = 0; i < CLIENTS; i++) {
  const c = await open("topic=canary.*.triggered");
  await c.read(1, "event: ready");
  clients.push(c);
}
const liveStarted = performance.now();
for (let i = 0; i < LIVE_TRIGGERS; i++) {
  const input = trigger(CATCH_UP_ROWS + i);
  const { stored } = await t.repos.canary.recordTriggers([input]);
  t.deps.bus.publish(canaryTopic(token.uuid, "triggered"), canaryTriggerEvent(stored[0]));
  await Promise.all(clients.map((c) => c.read(1)));
}
const liveMs = performance.now() - liveStarted;
for (const c of clients) await c.cancel();
console.log(
  `live trigger to ${CLIENTS} streams (store, publish, each stream reads its row): ` +
    `${(liveMs / LIVE_TRIGGERS).toFixed(2)} ms per trigger, ${
      Math.round(LIVE_TRIGGERS * CLIENTS / liveMs * 1000)
    } events/s delivered`,
);
