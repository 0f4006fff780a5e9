import assert from "node:assert/strict";
import {
  batchStanding,
  batchToApply,
  compareJournalPositions,
  compareLogPositions,
} from "../../../core/swarm/batch_standing.ts";

const at = (offset: number) => ({ segment: 0, offset });

Deno.test("batchStanding places the stored cursor against a batch's bounds", () => {
  const batch = { from: at(10), to: at(30) };
  assert.equal(batchStanding(at(10), batch, compareJournalPositions), "next");
  assert.equal(batchStanding(at(30), batch, compareJournalPositions), "done");
  assert.equal(batchStanding(at(40), batch, compareJournalPositions), "done");
  assert.equal(batchStanding(at(0), batch, compareJournalPositions), "pending");
  assert.equal(batchStanding(at(20), batch, compareJournalPositions), "overlap");
});

Deno.test("batchToApply takes an overlapping batch up at the cursor, only with positions", () => {
  const positions = [at(20), at(25), at(30)];
  const batch = { from: at(10), to: at(30), items: ["a", "b", "c"], positions };
  assert.deepEqual(batchToApply(at(10), batch, compareJournalPositions), {
    standing: "next",
    start: at(10),
    items: ["a", "b", "c"],
    takenUp: false,
  });
  assert.deepEqual(batchToApply(at(20), batch, compareJournalPositions), {
    standing: "next",
    start: at(20),
    items: ["b", "c"],
    takenUp: true,
  });
  assert.deepEqual(
    batchToApply(at(20), { ...batch, positions: undefined }, compareJournalPositions),
    { standing: "overlap" },
  );
  assert.deepEqual(batchToApply(at(30), batch, compareJournalPositions), { standing: "done" });
  assert.deepEqual(batchToApply(at(5), batch, compareJournalPositions), { standing: "pending" });
});

Deno.test("compareLogPositions orders Docker times by value, not as strings", () => {
  const a = { logTime: "2026-12-01T10:00:00.5Z", linesAtTime: 1 };
  const b = { logTime: "2026-12-01T10:00:00.123456789Z", linesAtTime: 9 };
  assert.ok(compareLogPositions(b, a) < 0);
  assert.ok(compareLogPositions({ logTime: "", linesAtTime: 0 }, b) < 0);
  assert.equal(compareLogPositions(a, { ...a }), 0);
});
