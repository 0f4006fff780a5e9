import assert from "node:assert/strict";
import { TriggerDedupe } from "../../../canary/receiver/mod.ts";

Deno.test("TriggerDedupe.shouldRecord() records a key once per window", () => {
  const dedupe = new TriggerDedupe({ windowSeconds: 60 });
  assert.equal(dedupe.shouldRecord("k", 0), true);
  assert.equal(dedupe.shouldRecord("k", 59_999), false);
  assert.equal(dedupe.shouldRecord("other", 1), true);
  assert.equal(dedupe.shouldRecord("k", 60_001), true);
  assert.equal(dedupe.size, 1, "expired keys are dropped");
});

Deno.test("TriggerDedupe.shouldRecord() records everything when the window is 0", () => {
  const dedupe = new TriggerDedupe({ windowSeconds: 0 });
  assert.equal(dedupe.shouldRecord("k", 0), true);
  assert.equal(dedupe.shouldRecord("k", 0), true);
});

Deno.test("TriggerDedupe.shouldRecord() expires keys in order, also after the oldest was evicted", () => {
  const dedupe = new TriggerDedupe({ windowSeconds: 60, maxKeys: 2 });
  assert.equal(dedupe.shouldRecord("a", 0), true);
  assert.equal(dedupe.shouldRecord("b", 10), true);
  assert.equal(dedupe.shouldRecord("c", 20), true, "evicts a");
  assert.equal(dedupe.shouldRecord("a", 30), true, "a was forgotten; evicts b");
  assert.equal(dedupe.shouldRecord("c", 60_010), false);
  assert.equal(dedupe.shouldRecord("c", 60_020), true, "c's window is over");
  assert.equal(dedupe.shouldRecord("a", 60_025), false);
  assert.equal(dedupe.size, 2);
  assert.equal(dedupe.shouldRecord("x", 200_000), true);
  assert.equal(dedupe.size, 1, "every expired key is dropped");
});
