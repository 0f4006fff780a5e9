import assert from "node:assert/strict";
import { JournalWriter, listSegments, readJournal } from "../../core/journal/mod.ts";
import { spawnDecnet } from "../infra/spawn_decnet.ts";
import { waitUntil } from "../infra/wait_until.ts";

const APPENDER = new URL("./_journal_appender_main.ts", import.meta.url).pathname;

Deno.test("JournalWriter killed with SIGKILL mid-load: every acknowledged record is read back past the zeros it left, and the next writer starts a fresh segment", async () => {
  const dir = await Deno.makeTempDir({ prefix: "journal-kill9-" });
  try {
    await using proc = spawnDecnet([dir], {
      cwd: dir,
      command: [Deno.execPath(), "run", "--quiet", "--allow-all", APPENDER],
    });
    await waitUntil(() => proc.lines.length >= 500, { what: "500 records acknowledged" });
    await proc.kill("SIGKILL");
    const acked = proc.lines.map((l) => Number(/^acked (\d+)$/.exec(l)?.[1] ?? NaN));
    assert.ok(acked.length >= 500);
    // The crashed segment still holds the zeros written ahead of its data.
    const [crashed] = await listSegments(dir);
    const first = await readJournal(dir, { segment: 0, offset: 0 }, { maxRecords: 1e6 });
    assert.ok(
      crashed.size > first.to.offset,
      `${crashed.size} bytes, data ends at ${first.to.offset}`,
    );

    await using journal = await JournalWriter.open(dir, { maxBytes: 64 * 1024 ** 2 });
    assert.ok(await journal.append([JSON.stringify({ n: "after" })]));
    const read = await readJournal(dir, { segment: 0, offset: 0 }, { maxRecords: 1e6 });
    const found = new Set(read.records.map((r) => JSON.parse(r.text).n));
    assert.deepEqual(acked.filter((n) => !found.has(n)), [], "acknowledged records missing");
    // SIGKILL may cut the write in flight between pages: at most that record is torn.
    assert.ok(read.skipped <= 1, `${read.skipped} torn lines`);
    // Written at the start of a new segment, not after the crashed one's zeros.
    assert.equal(read.records.at(-1)!.id, `${crashed.number + 1}:0`);
    assert.equal(JSON.parse(read.records.at(-1)!.text).n, "after");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
