import assert from "node:assert/strict";
import { CanaryJournalIngest } from "../../../core/attackers/canary_journal_ingest.ts";
import { MemoryBus, TOPIC_PATTERNS } from "../../../core/bus/mod.ts";
import type { BusPayload } from "../../../core/bus/mod.ts";
import {
  createRepositories,
  DEFAULT_TRIGGER_RATE,
  openMigratedDatabase,
} from "../../../core/db/mod.ts";
import type { TriggerInput } from "../../../core/db/mod.ts";
import { canarySpoolPaths, encodeTriggerRecord, JournalWriter } from "../../../core/journal/mod.ts";
import { Logger } from "../../../core/log/mod.ts";
import { mergeTriggerRow, triggerRowFromEvent } from "../../../islands/mod.ts";
import type { TriggerRow } from "../../../islands/mod.ts";
import { triggerRowOf } from "../../../web/pages/trigger_row_of.ts";
import { waitUntil } from "../../infra/wait_until.ts";

const SLUG = "Lv7_rW2pQ9xKm4TzB8nDcA";
const UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) curl-like/1.0";

async function setUp() {
  const handle = await openMigratedDatabase("sqlite::memory:");
  const bus = new MemoryBus({ broadcast: false });
  const repos = createRepositories(handle);
  const events: BusPayload[] = [];
  bus.subscribe(TOPIC_PATTERNS.canaryTriggered, ({ payload }) => void events.push(payload));
  const token = await repos.canary.insertToken({
    uuid: crypto.randomUUID(),
    callback_token: SLUG,
    kind: "http",
    generator: "env_file",
    blob_uuid: null,
    content_class: null,
    decky_name: "ws-07",
    decky_uuid: "d7",
    placement_path: "/home/bob/.env",
    persona: null,
    http_base: "http://192.0.2.1",
    dns_zone: "",
    state: "planted",
    trigger_count: 0,
    last_triggered_at: null,
    last_error: null,
  });
  // The production path: the listeners journal each trigger, the collector stores and publishes.
  const dir = await Deno.makeTempDir({ prefix: "live-rows-" });
  const spool = canarySpoolPaths(dir);
  const journal = await JournalWriter.open(spool.journalDir, { maxBytes: 1024 ** 2 });
  const ingest = new CanaryJournalIngest({
    journal: "canary@test",
    spool,
    repository: repos.canaryJournals,
    bus,
    log: new Logger({ level: "error" }),
  });
  const sink = {
    async recordTriggers(hits: TriggerInput[]): Promise<void> {
      await journal.append(
        hits.map((h) => encodeTriggerRecord({ ...h, kind: "http", decky: "ws-07" })),
      );
      await ingest.drain();
    },
  };
  const hit = (ms: number): TriggerInput => ({
    tokenUuid: token.uuid,
    occurredAt: new Date(Date.parse("2026-11-18T14:00:00.000Z") + ms),
    srcIp: "198.51.100.23",
    userAgent: UA,
    method: "GET",
    requestPath: `/c/${SLUG}`,
    dnsQname: null,
    dnsClientSubnet: null,
    headers: { "user-agent": UA },
  });
  /** What a reload of the token page shows. */
  const reloaded = async (): Promise<TriggerRow[]> =>
    (await repos.canary.listTriggers(token.uuid, { limit: 200, offset: 0 })).items
      .map((r) => triggerRowOf(r, token));
  /** What the live island shows after every event so far, starting from an empty page. */
  const live = (): TriggerRow[] =>
    events.reduce<TriggerRow[]>(
      (rows, p) => mergeTriggerRow(rows, triggerRowFromEvent(p), 200),
      [],
    );
  const close = async () => {
    await journal.close();
    await bus.close();
    await handle.close();
    await Deno.remove(dir, { recursive: true });
  };
  return { sink, events, hit, reloaded, live, close, [Symbol.asyncDispose]: close };
}

Deno.test("a live trigger row equals the reloaded row, user agent included", async () => {
  await using t = await setUp();
  await t.sink.recordTriggers([t.hit(0)]);
  await waitUntil(() => t.events.length === 1, { what: "the triggered event" });
  assert.equal(t.events[0].user_agent, UA);
  const live = t.live();
  assert.deepEqual(live, await t.reloaded());
  assert.equal(live[0].detail, `GET /c/${SLUG} (${UA})`);
  assert.deepEqual([live[0].tokenKind, live[0].deckyName, live[0].hits], ["http", "ws-07", 1]);
});

Deno.test("a flood's rollup row shows live as on reload, its count growing in place", async () => {
  await using t = await setUp();
  const extra = 5;
  await t.sink.recordTriggers(
    Array.from({ length: DEFAULT_TRIGGER_RATE + extra }, (_, i) => t.hit(i)),
  );
  await waitUntil(() => t.events.length === DEFAULT_TRIGGER_RATE + 1, { what: "rows' events" });
  assert.deepEqual(t.live(), await t.reloaded());
  await t.sink.recordTriggers(Array.from({ length: 40 }, (_, i) => t.hit(100 + i)));
  await waitUntil(() => t.events.length === DEFAULT_TRIGGER_RATE + 2, {
    what: "the rollup's event",
  });
  const live = t.live();
  assert.deepEqual(live, await t.reloaded());
  assert.equal(live.length, DEFAULT_TRIGGER_RATE + 1, "one event per row written, not per hit");
  assert.deepEqual([live[0].rollup, live[0].hits, live[0].srcIp], [
    "source",
    extra + 40,
    "198.51.100.23",
  ]);
});
