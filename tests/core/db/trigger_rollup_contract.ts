import assert from "node:assert/strict";
import {
  createRepositories,
  DEFAULT_TRIGGER_CAP,
  DEFAULT_TRIGGER_RATE,
  migrateToLatest,
  PREFIX_ROLLUPS_PER_WINDOW,
} from "../../../core/db/mod.ts";
import type {
  CanaryRepository,
  CanaryTokenRow,
  DbHandle,
  TriggerInput,
} from "../../../core/db/mod.ts";
import type { MakeHandle } from "./repository_contract.ts";

const T0 = Date.parse("2026-11-18T14:00:55.000Z");
/** Rows one token may gain in one minute, whatever floods it (see TriggerRollupPlanner). */
const ROWS_PER_MINUTE = DEFAULT_TRIGGER_CAP + DEFAULT_TRIGGER_CAP / DEFAULT_TRIGGER_RATE +
  PREFIX_ROLLUPS_PER_WINDOW + 1;
/** What the canary receiver's batcher hands the repository at most. */
const BATCH = 512;

/** Options of {@linkcode runTriggerRollupContract}. */
export interface TriggerRollupContractOptions {
  /** Hits of each flood (20,000 on SQLite; fewer where the engine is slower to load). */
  floodHits: number;
}

/**
 * Trigger rollups and retention, run against every engine: floods stay
 * under the row bound with every hit counted, and retention removes exactly
 * the expired rows in batches while the token's counters stay consistent.
 */
export async function runTriggerRollupContract(
  t: Deno.TestContext,
  makeHandle: MakeHandle,
  options: TriggerRollupContractOptions,
): Promise<void> {
  const step = (name: string, fn: (handle: DbHandle, canary: CanaryRepository) => Promise<void>) =>
    t.step(name, async () => {
      await using handle = await makeHandle();
      assert.equal((await migrateToLatest(handle)).error, undefined);
      await fn(handle, createRepositories(handle).canary);
    });
  const hits = options.floodHits;
  // Spread over 10 s from 5 s before a minute ends: the flood spans two windows.
  const at = (i: number) => new Date(T0 + Math.floor((i * 10_000) / hits));

  await step(
    `recordTriggers() folds ${hits} hits from one source into a bounded set of rows`,
    async (_, canary) => {
      const token = await insertToken(canary);
      const flood = Array.from({ length: hits }, (_, i) => hit(token, at(i), "192.0.2.77"));
      await recordInBatches(canary, flood);
      const rows = await allRows(canary, token);
      // Per minute: `rate` rows of their own, then one source rollup.
      assert.equal(rows.length, 2 * (DEFAULT_TRIGGER_RATE + 1));
      await assertCounted(canary, token, hits);
      const rollups = rows.filter((r) => r.rollup_scope === "source");
      assert.ok(rollups.every((r) => r.src_ip === "192.0.2.77" && r.request_path === "/c/flood"));
      assert.ok(rollups.every((r) => r.last_at !== null && r.last_at >= r.occurred_at));
    },
  );

  await step(
    `recordTriggers() keeps a flood from 2,000 spoofed sources under the per-minute row bound`,
    async (_, canary) => {
      const token = await insertToken(canary);
      const flood = Array.from(
        { length: hits },
        (_, i) => hit(token, at(i), `10.${i % 2000 >> 8}.${i % 2000 & 255}.${(i * 7) % 250}`),
      );
      await recordInBatches(canary, flood);
      const rows = await allRows(canary, token);
      assert.ok(rows.length <= 2 * ROWS_PER_MINUTE, `${rows.length} rows`);
      assert.equal(rows.filter((r) => r.rollup_scope === null).length, 2 * DEFAULT_TRIGGER_CAP);
      const prefixes = rows.filter((r) => r.rollup_scope === "prefix");
      assert.equal(prefixes.length, 2 * PREFIX_ROLLUPS_PER_WINDOW);
      assert.ok(prefixes.every((r) => /^10\.\d+\.\d+\.0\/24$/.test(r.src_ip)), "counted per /24");
      assert.deepEqual(rows.filter((r) => r.rollup_scope === "token").map((r) => r.src_ip), [
        "*",
        "*",
      ]);
      await assertCounted(canary, token, hits);
    },
  );

  await step(
    "recordTriggers() continues a minute after a restart from what is stored",
    async (handle, canary) => {
      const token = await insertToken(canary);
      const burst = (n: number) =>
        Array.from({ length: n }, () => hit(token, new Date(T0), "192.0.2.8"));
      const first = await canary.recordTriggers(burst(DEFAULT_TRIGGER_RATE + 5));
      assert.equal(first.stored.length, DEFAULT_TRIGGER_RATE);
      assert.deepEqual(
        first.rollups.map((r) => [r.trigger.rollup_scope, r.trigger.hit_count, r.added]),
        [["source", 5, 5]],
      );
      const restarted = createRepositories(handle).canary;
      const second = await restarted.recordTriggers(burst(7));
      assert.equal(second.stored.length, 0);
      assert.deepEqual(second.rollups.map((r) => [r.trigger.id, r.trigger.hit_count, r.added]), [[
        first.rollups[0].trigger.id,
        12,
        7,
      ]]);
      const rows = await allRows(canary, token);
      assert.equal(rows.length, DEFAULT_TRIGGER_RATE + 1);
      // The grown row comes back as the listing shows it.
      assert.deepEqual(second.rollups[0].trigger, rows.find((r) => r.rollup_scope !== null));
      await assertCounted(canary, token, DEFAULT_TRIGGER_RATE + 12);
    },
  );

  await step(
    "recordTriggers() returns the rows it stored, in input order, while another writer records",
    async (handle, canary) => {
      const a = await insertToken(canary);
      const b = await insertToken(canary);
      const other = createRepositories(handle).canary;
      const batch = (token: CanaryTokenRow, net: string) =>
        Array.from({ length: 60 }, (_, i) => hit(token, new Date(T0 + i), `${net}.${i}`));
      const [mine, theirs] = await Promise.all([
        canary.recordTriggers(batch(a, "192.0.2")),
        other.recordTriggers(batch(b, "198.51.100")),
      ]);
      for (
        const [recorded, token, net] of [[mine, a, "192.0.2"], [theirs, b, "198.51.100"]] as const
      ) {
        assert.deepEqual(
          recorded.stored.map((t) => [t.token_uuid, t.src_ip]),
          batch(token, net).map((h) => [token.uuid, h.srcIp]),
        );
        assert.deepEqual(recorded.stored, (await allRows(canary, token)).reverse());
      }
    },
  );

  await step(
    "recordTriggers() keeps tokens apart in one batch, also after a restart",
    async (handle, canary) => {
      const a = await insertToken(canary);
      const b = await insertToken(canary);
      const burst = (n: number) =>
        Array.from({ length: n }, (_, i) => hit(i % 2 ? a : b, new Date(T0), "192.0.2.8"));
      await canary.recordTriggers(burst(2 * (DEFAULT_TRIGGER_RATE + 2)));
      const second = await createRepositories(handle).canary.recordTriggers(burst(6));
      assert.deepEqual(second.rollups.map((r) => r.trigger.hit_count).sort(), [5, 5]);
      for (const token of [a, b]) {
        assert.equal((await allRows(canary, token)).length, DEFAULT_TRIGGER_RATE + 1);
        await assertCounted(canary, token, DEFAULT_TRIGGER_RATE + 5);
      }
    },
  );

  await step(
    "recordTriggers() stores every hit as a row when rate and cap are 0",
    async (handle, canary) => {
      const token = await insertToken(canary);
      const off = createRepositories(handle, {
        triggerRollup: { ratePerMinute: 0, capPerMinute: 0 },
      });
      const recorded = await off.canary.recordTriggers(
        Array.from({ length: 1200 }, () => hit(token, new Date(T0), "192.0.2.8")),
      );
      assert.deepEqual([recorded.stored.length, recorded.rollups.length], [1200, 0]);
      assert.equal((await allRows(canary, token)).length, 1200);
      await assertCounted(canary, token, 1200);
    },
  );

  await step(
    "pruneExpiredTriggers() removes exactly the expired rows, oldest first, in batches",
    async (_, canary) => {
      const token = await insertToken(canary);
      const other = await insertToken(canary);
      const old = Array.from(
        { length: 7 },
        (_, i) => hit(token, new Date(T0 - 86_400_000 + i), `192.0.2.${i}`),
      );
      await canary.recordTriggers([
        ...old,
        hit(other, new Date(T0 - 3_600_000), "192.0.2.50"),
        // A rollup row in the expired part: its 30 hits move to pruned_count together.
        ...Array.from({ length: 40 }, () => hit(token, new Date(T0 - 7_200_000), "192.0.2.60")),
        ...Array.from({ length: 4 }, (_, i) => hit(token, new Date(T0 + i), `198.51.100.${i}`)),
      ]);
      const before = new Date(T0 - 1000);
      const passes: number[] = [];
      for (let n = -1; n !== 0;) {
        passes.push(n = await canary.pruneExpiredTriggers({ before, limit: 5 }));
      }
      // 7 + 1 + 10 own rows + 1 rollup row were older than the cut.
      assert.deepEqual(passes, [5, 5, 5, 4, 0]);
      const left = await allRows(canary, token);
      assert.deepEqual(left.map((r) => r.src_ip).sort(), [
        "198.51.100.0",
        "198.51.100.1",
        "198.51.100.2",
        "198.51.100.3",
      ]);
      assert.equal((await allRows(canary, other)).length, 0);
      const kept = await canary.getToken(token.uuid);
      assert.equal(kept?.trigger_count, 51);
      assert.equal(kept?.pruned_count, 47);
      assert.equal(kept?.suppressed_count, 30, "rolled-up hits stay counted after pruning");
      await assertCounted(canary, token, 51);
      await assertCounted(canary, other, 1);
      await assert.rejects(
        canary.pruneExpiredTriggers({ before, limit: 0 }),
        /limit must be >= 1, got 0/,
      );
    },
  );

  await step(
    "pruneExpiredTriggers() running alongside recordTriggers() keeps the counters consistent",
    async (_, canary) => {
      const token = await insertToken(canary);
      // Each batch grows the same rollup row while prunes remove it: every hit ends up stored or pruned.
      const work: Promise<unknown>[] = [];
      for (let b = 0; b < 20; b++) {
        work.push(canary.recordTriggers(
          Array.from({ length: 50 }, (_, i) => hit(token, new Date(T0 - 5000 + i), "192.0.2.5")),
        ));
        work.push(canary.pruneExpiredTriggers({ before: new Date(T0), limit: 7 }));
      }
      await Promise.all(work);
      await assertCounted(canary, token, 1000);
    },
  );

  await step(
    "recordTriggers() starts a new rollup row when retention removed the one it was growing",
    async (_, canary) => {
      const token = await insertToken(canary);
      const burst = (n: number) =>
        Array.from({ length: n }, () => hit(token, new Date(T0), "192.0.2.9"));
      await canary.recordTriggers(burst(DEFAULT_TRIGGER_RATE + 3));
      assert.equal(await canary.pruneExpiredTriggers({ before: new Date(T0 + 1), limit: 100 }), 11);
      const again = await canary.recordTriggers(burst(2));
      assert.deepEqual(again.rollups.map((r) => [r.trigger.hit_count, r.added]), [[2, 2]]);
      const rows = await allRows(canary, token);
      assert.deepEqual(rows.map((r) => [r.rollup_scope, Number(r.hit_count)]), [["source", 2]]);
      await assertCounted(canary, token, DEFAULT_TRIGGER_RATE + 5);
    },
  );
}

async function insertToken(canary: CanaryRepository): Promise<CanaryTokenRow> {
  const slug = crypto.randomUUID().replaceAll("-", "").slice(0, 22);
  return await canary.insertToken({
    uuid: crypto.randomUUID(),
    callback_token: slug,
    kind: "http",
    generator: "env_file",
    blob_uuid: null,
    content_class: null,
    decky_name: null,
    decky_uuid: null,
    placement_path: null,
    persona: null,
    http_base: "http://192.0.2.1:8088",
    dns_zone: "",
    state: "issued",
    trigger_count: 0,
    last_triggered_at: null,
    last_error: null,
  });
}

function hit(token: CanaryTokenRow, occurredAt: Date, srcIp: string): TriggerInput {
  return {
    tokenUuid: token.uuid,
    occurredAt,
    srcIp,
    userAgent: "curl/8.0",
    method: "GET",
    requestPath: "/c/flood",
    dnsQname: null,
    dnsClientSubnet: null,
    headers: { "user-agent": "curl/8.0" },
  };
}

async function recordInBatches(canary: CanaryRepository, hits: TriggerInput[]): Promise<void> {
  for (let i = 0; i < hits.length; i += BATCH) {
    await canary.recordTriggers(hits.slice(i, i + BATCH));
  }
}

async function allRows(canary: CanaryRepository, token: CanaryTokenRow) {
  return (await canary.listTriggers(token.uuid, { limit: 100_000, offset: 0 })).items;
}

/** trigger_count = hits; rows' hit counts + pruned_count = trigger_count; suppressed = rollup hits. */
async function assertCounted(
  canary: CanaryRepository,
  token: CanaryTokenRow,
  hits: number,
): Promise<void> {
  const row = await canary.getToken(token.uuid);
  const rows = await allRows(canary, token);
  const stored = rows.reduce((n, r) => n + Number(r.hit_count), 0);
  const rolled = rows.filter((r) => r.rollup_scope !== null)
    .reduce((n, r) => n + Number(r.hit_count), 0);
  assert.equal(Number(row?.trigger_count), hits, "trigger_count");
  assert.equal(stored + Number(row?.pruned_count), hits, "stored + pruned");
  if (Number(row?.pruned_count) === 0) assert.equal(Number(row?.suppressed_count), rolled);
}
