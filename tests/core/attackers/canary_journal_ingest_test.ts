import assert from "node:assert/strict";
import { CanaryJournalIngest } from "../../../core/attackers/canary_journal_ingest.ts";
import { type BusMessage, MemoryBus } from "../../../core/bus/mod.ts";
import {
  createRepositories,
  type DbHandle,
  migrateToLatest,
  openDatabase,
} from "../../../core/db/mod.ts";
import {
  canarySpoolPaths,
  encodeTriggerRecord,
  JournalWriter,
  listSegments,
  readActiveTokens,
} from "../../../core/journal/mod.ts";
import type { TriggerInput } from "../../../core/db/mod.ts";
import { Logger } from "../../../core/log/mod.ts";
import { waitUntil } from "../../infra/wait_until.ts";

const log = new Logger({ level: "error" });

async function setup(): Promise<
  { dir: string; handle: DbHandle; uuid: string; [Symbol.asyncDispose](): Promise<void> }
> {
  const dir = await Deno.makeTempDir({ prefix: "ingest-" });
  const handle = await openDatabase(`sqlite:${dir}/db.sqlite`);
  await migrateToLatest(handle);
  const uuid = crypto.randomUUID();
  await createRepositories(handle).canary.insertToken({
    uuid,
    callback_token: "Ab3dEf6hIj9kLm2nOp5qRs",
    kind: "aws_passive",
    generator: "aws_creds",
    blob_uuid: null,
    content_class: null,
    decky_name: "ws-01",
    decky_uuid: null,
    placement_path: null,
    persona: null,
    http_base: "http://127.0.0.1:8088",
    dns_zone: "",
    state: "planted",
    trigger_count: 0,
    last_triggered_at: null,
    last_error: null,
  });
  return {
    dir,
    handle,
    uuid,
    async [Symbol.asyncDispose]() {
      await handle.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

function trigger(tokenUuid: string, i: number): TriggerInput {
  return {
    tokenUuid,
    occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i % 60)),
    srcIp: "192.0.2.9",
    userAgent: null,
    method: "GET",
    requestPath: `/c/x/${i}`,
    dnsQname: null,
    dnsClientSubnet: null,
    headers: {},
  };
}

// Rollups off (rate and cap 0): each trigger is its own row, so rows can be counted one to one.
const NO_ROLLUP = { triggerRollup: { ratePerMinute: 0, capPerMinute: 0 } };

function ingestFor(dir: string, handle: DbHandle, bus = new MemoryBus({ broadcast: false })) {
  return new CanaryJournalIngest({
    journal: "canary@local",
    spool: canarySpoolPaths(dir),
    repository: createRepositories(handle, NO_ROLLUP).canaryJournals,
    bus,
    log,
    batch: 100,
  });
}

Deno.test("CanaryJournalIngest.drain() stores every journaled trigger once, in order, and removes stored segments", async () => {
  await using s = await setup();
  const spool = canarySpoolPaths(s.dir);
  // Three writer lifetimes (three segments), as after two restarts of the canary worker.
  for (let life = 0; life < 3; life++) {
    await using journal = await JournalWriter.open(spool.journalDir, { maxBytes: 1024 ** 2 });
    await Promise.all(
      Array.from(
        { length: 150 },
        (_, i) => journal.append([encodeTriggerRecord(trigger(s.uuid, life * 150 + i))]),
      ),
    );
  }
  const bus = new MemoryBus({ broadcast: false });
  const events: BusMessage[] = [];
  bus.subscribe("canary.*.triggered", (m) => void events.push(m));
  await using ingest = ingestFor(s.dir, s.handle, bus);
  assert.equal(await ingest.drain(), 450);
  const repos = createRepositories(s.handle);
  assert.equal((await repos.canary.getToken(s.uuid))?.trigger_count, 450);
  const { items, total } = await repos.canary.listTriggers(s.uuid, { limit: 500, offset: 0 });
  assert.equal(total, 450);
  assert.equal(new Set(items.map((t) => t.request_path)).size, 450);
  // Only the newest segment (the writer's) is kept.
  assert.deepEqual((await listSegments(spool.journalDir)).map((x) => x.number), [3]);
  // Another ingest (a restart, or a second collector) finds nothing left to store.
  await using again = ingestFor(s.dir, s.handle);
  assert.equal(await again.drain(), 0);
  assert.equal((await repos.canary.getToken(s.uuid))?.trigger_count, 450);
  await waitUntil(() => events.length === 450, { what: "one event per stored trigger" });
  // Each event is the stored row as listed (its id, the token's kind and decky from the database).
  const oldest = items.at(-1)!;
  assert.deepEqual(events[0].payload, { ...oldest, event: "triggered" });
  assert.deepEqual([oldest.token_kind, oldest.decky_name], ["aws_passive", "ws-01"]);
});

Deno.test("CanaryJournalIngest.drain() run twice at once stores each trigger once", async () => {
  await using s = await setup();
  const spool = canarySpoolPaths(s.dir);
  {
    await using journal = await JournalWriter.open(spool.journalDir, { maxBytes: 1024 ** 2 });
    for (let i = 0; i < 300; i++) await journal.append([encodeTriggerRecord(trigger(s.uuid, i))]);
  }
  await using a = ingestFor(s.dir, s.handle);
  await using b = ingestFor(s.dir, s.handle);
  const [x, y] = await Promise.all([a.drain(), b.drain()]);
  const c = await a.drain() + await b.drain();
  assert.equal(x + y + c, 300);
  const { total } = await createRepositories(s.handle).canary.listTriggers(s.uuid, {
    limit: 1,
    offset: 0,
  });
  assert.equal(total, 300);
});

Deno.test("CanaryJournalIngest.drain() skips forged lines and triggers of unknown tokens", async () => {
  await using s = await setup();
  const spool = canarySpoolPaths(s.dir);
  {
    await using journal = await JournalWriter.open(spool.journalDir, { maxBytes: 1024 ** 2 });
    await journal.append([
      "{not json",
      encodeTriggerRecord(trigger(crypto.randomUUID(), 1)),
      encodeTriggerRecord(trigger(s.uuid, 2)),
    ]);
  }
  await using ingest = ingestFor(s.dir, s.handle);
  assert.equal(await ingest.drain(), 1);
  assert.equal(ingest.stats().skipped, 2);
});

Deno.test("CanaryJournalIngest.refreshTokens() writes the active tokens snapshot for the listeners", async () => {
  await using s = await setup();
  await using ingest = ingestFor(s.dir, s.handle);
  assert.equal(await ingest.refreshTokens(), true);
  assert.equal(await ingest.refreshTokens(), false);
  const tokens = await readActiveTokens(canarySpoolPaths(s.dir).tokensFile);
  assert.deepEqual(tokens, [{ uuid: s.uuid, slug: "Ab3dEf6hIj9kLm2nOp5qRs" }]);
  await createRepositories(s.handle).canary.setTokenState(s.uuid, "revoked");
  assert.equal(await ingest.refreshTokens(), true);
  assert.deepEqual(await readActiveTokens(canarySpoolPaths(s.dir).tokensFile), []);
});

Deno.test("CanaryJournalIngest.drain() folds a flood into rollup rows, counting every hit once", async () => {
  await using s = await setup();
  const spool = canarySpoolPaths(s.dir);
  {
    await using journal = await JournalWriter.open(spool.journalDir, { maxBytes: 1024 ** 2 });
    await journal.append(
      Array.from({ length: 200 }, () => encodeTriggerRecord(trigger(s.uuid, 0))),
    );
  }
  const bus = new MemoryBus({ broadcast: false });
  const events: BusMessage[] = [];
  bus.subscribe("canary.*.triggered", (m) => void events.push(m));
  const repos = createRepositories(s.handle, {
    triggerRollup: { ratePerMinute: 5, capPerMinute: 20 },
  });
  await using ingest = new CanaryJournalIngest({
    journal: "canary@local",
    spool,
    repository: repos.canaryJournals,
    bus,
    log,
  });
  assert.equal(await ingest.drain(), 200);
  const token = await repos.canary.getToken(s.uuid);
  assert.equal(token?.trigger_count, 200);
  const { items } = await repos.canary.listTriggers(s.uuid, { limit: 500, offset: 0 });
  assert.ok(items.length < 20, `${items.length} rows for a 200-hit flood`);
  assert.equal(items.reduce((n, r) => n + Number(r.hit_count), 0), 200);
  await waitUntil(() => events.some((e) => e.payload.rollup_scope !== null), {
    what: "an event for the rollup row",
  });
  assert.equal(await ingest.drain(), 0, "nothing stored twice");
});
