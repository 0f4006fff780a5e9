import assert from "node:assert/strict";
import { GENERATOR_TABLE, INSTRUMENTER_NAMES, INSTRUMENTER_TABLE } from "../../canary/mod.ts";
import { CANARY_GENERATORS } from "../../core/config/mod.ts";

Deno.test("CANARY_GENERATORS and INSTRUMENTER_NAMES list exactly the generators and instrumenters", () => {
  assert.deepEqual([...CANARY_GENERATORS].sort(), [...GENERATOR_TABLE.keys()].sort());
  assert.deepEqual([...INSTRUMENTER_NAMES].sort(), [...INSTRUMENTER_TABLE.keys()].sort());
});
