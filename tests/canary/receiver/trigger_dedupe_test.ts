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
