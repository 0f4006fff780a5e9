import assert from "node:assert/strict";
import type { JournalPosition } from "../../../core/db/mod.ts";
import { JournalFollower } from "../../../core/journal/journal_follower.ts";
import { type JournalRecord, segmentName } from "../../../core/journal/mod.ts";
import { Logger } from "../../../core/log/mod.ts";
import { waitUntil } from "../../infra/wait_until.ts";

const log = new Logger({ level: "error" });

/** A journal folder with the given segments (number -> lines) and a follower over it. */
async function setUp(segments: Record<number, string[]>, cursor: JournalPosition) {
  const dir = await Deno.makeTempDir({ prefix: "follower-" });
  for (const [n, lines] of Object.entries(segments)) {
    await Deno.writeTextFile(
      `${dir}/${segmentName(Number(n))}`,
      lines.map((l) => `${l}\n`).join(""),
    );
  }
  const stored: string[] = [];
  const moves: string[] = [];
  let failures = 0;
  let refreshes = 0;
  const follower = new JournalFollower({
    what: "test journal",
    dir,
    cursor: () => Promise.resolve(cursor),
    store: (from, to, records: readonly JournalRecord[]) => {
      if (failures > 0) {
        failures--;
        return Promise.reject(new Error("database down"));
      }
      stored.push(...records.map((r) => r.text));
      moves.push(`${from.segment}:${from.offset}->${to.segment}:${to.offset}`);
      cursor = to;
      return Promise.resolve(records.length);
    },
    refresh: () => {
      refreshes++;
      return Promise.resolve();
    },
    log,
    pollMs: 20,
    refreshEveryMs: 60_000,
    batch: 2,
  });
  return {
    dir,
    follower,
    stored,
    moves,
    failNext: (n: number) => (failures = n),
    refreshes: () => refreshes,
    [Symbol.asyncDispose]: async () => {
      await follower.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("JournalFollower.drain() stores in batches, moves the cursor with each and removes read segments", async () => {
  await using t = await setUp({ 1: ['{"a":1}', '{"a":2}', '{"a":3}'], 2: ['{"a":4}'] }, {
    segment: 1,
    offset: 0,
  });
  assert.equal(await t.follower.drain(), 4);
  assert.deepEqual(t.stored, ['{"a":1}', '{"a":2}', '{"a":3}', '{"a":4}']);
  assert.deepEqual(t.moves, ["1:0->1:16", "1:16->2:8"], "two records per batch");
  assert.deepEqual([...Deno.readDirSync(t.dir)].map((e) => e.name), [segmentName(2)]);
  assert.equal(t.follower.state().cursor, "2:8");
});

Deno.test("JournalFollower restarts at the oldest segment when the journal was replaced", async () => {
  // The cursor is past anything this journal holds: it was wiped and started again.
  await using t = await setUp({ 5: ['{"a":1}'] }, { segment: 9, offset: 40 });
  assert.equal(await t.follower.drain(), 1);
  assert.deepEqual(t.moves, ["9:40->5:0", "5:0->5:8"]);
  assert.deepEqual(t.stored, ['{"a":1}']);
});

Deno.test("JournalFollower retries a failed store, loses nothing, and refreshes when asked", async () => {
  await using t = await setUp({ 1: ['{"a":1}'] }, { segment: 1, offset: 0 });
  t.failNext(2);
  t.follower.start();
  await waitUntil(() => t.stored.length === 1, { what: "the record stored after two failures" });
  assert.equal(t.follower.state().lastError, null);
  const before = t.refreshes();
  t.follower.refreshSoon();
  await waitUntil(() => t.refreshes() > before, { what: "a refresh on request" });
  assert.deepEqual(t.stored, ['{"a":1}']);
});
