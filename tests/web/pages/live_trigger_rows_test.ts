import assert from "node:assert/strict";
import { CanaryJournalIngest } from "../../../core/attackers/canary_journal_ingest.ts";
import { TOPIC_PATTERNS } from "../../../core/bus/mod.ts";
import type { BusPayload } from "../../../core/bus/mod.ts";
import { DEFAULT_TRIGGER_RATE } from "../../../core/db/mod.ts";
import type { TriggerInput } from "../../../core/db/mod.ts";
import { canarySpoolPaths, encodeTriggerRecord, JournalWriter } from "../../../core/journal/mod.ts";
import { Logger } from "../../../core/log/mod.ts";
import { mergeTrigger, triggerDetail } from "../../../islands/mod.ts";
import type { TriggerView } from "../../../web/api/v1/canary.ts";
import { waitUntil } from "../../infra/wait_until.ts";
import { makeTokenInput } from "../_token_fixture.ts";
import { makeTestApp } from "../test_app.ts";

const SLUG = "Lv7_rW2pQ9xKm4TzB8nDcA";
const UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) curl-like/1.0";

/** The island's view of a `canary.<token>.triggered` payload: the row without the event's name. */
function liveTrigger(payload: BusPayload): TriggerView {
  const { event: _event, ...trigger } = payload;
  return trigger as TriggerView;
}

async function setUp() {
  const app = await makeTestApp();
  const viewer = await app.login("watcher", "viewer");
  const events: BusPayload[] = [];
  app.deps.bus.subscribe(
    TOPIC_PATTERNS.canaryTriggered,
    ({ payload }) => void events.push(payload),
  );
  const token = await app.repos.canary.insertToken(
    makeTokenInput({ uuid: crypto.randomUUID(), callback_token: SLUG, decky_name: "ws-07" }),
  );
  // The production path: the listeners journal each trigger, the collector stores and publishes.
  const dir = await Deno.makeTempDir({ prefix: "live-rows-" });
  const spool = canarySpoolPaths(dir);
  const journal = await JournalWriter.open(spool.journalDir, { maxBytes: 1024 ** 2 });
  const ingest = new CanaryJournalIngest({
    journal: "canary@test",
    spool,
    repository: app.repos.canaryJournals,
    bus: app.deps.bus,
    log: new Logger({ level: "error" }),
  });
  const sink = {
    async recordTriggers(hits: TriggerInput[]): Promise<void> {
      await journal.append(hits.map((h) => encodeTriggerRecord(h)));
      await ingest.drain();
    },
  };
  const hit = (ms: number, overrides: Partial<TriggerInput> = {}): TriggerInput => ({
    tokenUuid: token.uuid,
    occurredAt: new Date(Date.parse("2026-11-18T14:00:00.000Z") + ms),
    srcIp: "198.51.100.23",
    userAgent: UA,
    method: "GET",
    requestPath: `/c/${SLUG}`,
    dnsQname: null,
    dnsClientSubnet: null,
    headers: { "user-agent": UA },
    ...overrides,
  });
  /** What the API lists, and so what a reload of the token page shows. */
  const listed = async (): Promise<TriggerView[]> => {
    const res = await app.request(`/api/v1/canary/tokens/${token.uuid}/triggers?limit=200`, {
      token: viewer,
    });
    assert.equal(res.status, 200);
    return (await res.json()).items;
  };
  /** What the live island shows after every event so far, starting from an empty page. */
  const live = (): TriggerView[] =>
    events.reduce<TriggerView[]>((rows, p) => mergeTrigger(rows, liveTrigger(p), 200), []);
  const close = async () => {
    await journal.close();
    await app[Symbol.asyncDispose]();
    await Deno.remove(dir, { recursive: true });
  };
  return { app, sink, events, hit, listed, live, close, [Symbol.asyncDispose]: close };
}

Deno.test("a live trigger row equals the reloaded row, user agent included", async () => {
  await using t = await setUp();
  await t.sink.recordTriggers([t.hit(0)]);
  await waitUntil(() => t.events.length === 1, { what: "the triggered event" });
  assert.equal(t.events[0].user_agent, UA);
  const live = t.live();
  assert.deepEqual(live, await t.listed());
  assert.equal(triggerDetail(live[0]), `GET /c/${SLUG} (${UA})`);
  assert.deepEqual([live[0].token_kind, live[0].decky_name, live[0].hit_count], [
    "http",
    "ws-07",
    1,
  ]);
});

Deno.test("a flood's rollup row shows live as on reload, its count growing in place", async () => {
  await using t = await setUp();
  const extra = 5;
  await t.sink.recordTriggers(
    Array.from({ length: DEFAULT_TRIGGER_RATE + extra }, (_, i) => t.hit(i)),
  );
  await waitUntil(() => t.events.length === DEFAULT_TRIGGER_RATE + 1, { what: "rows' events" });
  assert.deepEqual(t.live(), await t.listed());
  await t.sink.recordTriggers(Array.from({ length: 40 }, (_, i) => t.hit(100 + i)));
  await waitUntil(() => t.events.length === DEFAULT_TRIGGER_RATE + 2, {
    what: "the rollup's event",
  });
  const live = t.live();
  assert.deepEqual(live, await t.listed());
  assert.equal(live.length, DEFAULT_TRIGGER_RATE + 1, "one event per row written, not per hit");
  assert.deepEqual([live[0].rollup_scope, live[0].hit_count, live[0].src_ip], [
    "source",
    extra + 40,
    "198.51.100.23",
  ]);
});

Deno.test("canary.<token>.triggered carries the API's trigger view, field for field", async () => {
  await using t = await setUp();
  await t.sink.recordTriggers([
    t.hit(0),
    t.hit(1, {
      srcIp: "192.0.2.53",
      userAgent: null,
      method: null,
      requestPath: null,
      dnsQname: `x1.${SLUG}.t.example.net`,
      dnsClientSubnet: "198.51.100.0/24",
      headers: { qtype: "TXT", transport: "udp" },
    }),
    ...Array.from({ length: DEFAULT_TRIGGER_RATE + 3 }, (_, i) => t.hit(10 + i)),
  ]);
  const rows = DEFAULT_TRIGGER_RATE + 2;
  await waitUntil(() => t.events.length === rows, { what: "one event per row" });
  const listed = await t.listed();
  assert.equal(listed.length, rows);
  const byId = new Map(t.events.map((p) => [p.id, p]));
  for (const item of listed) {
    const payload = byId.get(item.id);
    assert.ok(payload, `an event for row ${item.id}`);
    assert.equal(payload.event, "triggered");
    // Same keys, same values: the bus payload is the API view plus the event's name.
    assert.deepEqual(
      Object.keys(payload).sort(),
      [...Object.keys(item), "event"].sort(),
      "same fields",
    );
    assert.deepEqual(liveTrigger(payload), item);
  }
  const dns = listed.find((r) => r.channel === "dns");
  assert.deepEqual([dns?.headers, dns?.dns_client_subnet, triggerDetail(dns!)], [
    { qtype: "TXT", transport: "udp" },
    "198.51.100.0/24",
    `x1.${SLUG}.t.example.net`,
  ]);
});
