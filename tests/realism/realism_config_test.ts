import assert from "node:assert/strict";
import {
  DEFAULT_REALISM_CONFIG,
  parseRealismConfig,
  RealismConfigStore,
} from "../../realism/mod.ts";

Deno.test("parseRealismConfig() accepts a partial config and fills defaults", () => {
  const r = parseRealismConfig({ weights: { note: 50 }, canary_probability: 0.1 });
  assert.ok(r.ok);
  assert.equal(r.config.weights.note, 50);
  assert.equal(r.config.weights.todo, DEFAULT_REALISM_CONFIG.weights.todo);
  assert.equal(r.config.canary_probability, 0.1);
  assert.ok(Object.isFrozen(r.config) && Object.isFrozen(r.config.weights));
});

Deno.test("parseRealismConfig() reports every issue at once", () => {
  const r = parseRealismConfig({
    weights: { note: -1, bogus: 3, todo: "x" },
    canary_probability: 2,
    extra: true,
  });
  assert.equal(r.ok, false);
  if (r.ok) return;
  const fields = r.errors.map((e) => e.field).sort();
  assert.deepEqual(fields, [
    "canary_probability",
    "extra",
    "weights.bogus",
    "weights.note",
    "weights.todo",
  ]);
});

Deno.test("parseRealismConfig() refuses a group whose weights are all zero", async (t) => {
  await t.step("user group", () => {
    const r = parseRealismConfig({ weights: { note: 0, todo: 0, draft: 0, script: 0 } });
    assert.equal(r.ok, false);
  });
  await t.step("canary group only matters with a canary probability", () => {
    const zeros = Object.fromEntries(
      Object.keys(DEFAULT_REALISM_CONFIG.weights).filter((k) => k.startsWith("canary_")).map((
        k,
      ) => [k, 0]),
    );
    assert.equal(parseRealismConfig({ weights: zeros }).ok, false);
    assert.equal(parseRealismConfig({ weights: zeros, canary_probability: 0 }).ok, true);
  });
  await t.step("not an object", () => {
    assert.equal(parseRealismConfig([]).ok, false);
    assert.equal(parseRealismConfig(null).ok, false);
  });
});

Deno.test("RealismConfigStore.replace() keeps the old config when input is invalid", () => {
  const store = new RealismConfigStore();
  assert.equal(store.replace({ canary_probability: -1 }).ok, false);
  assert.equal(store.current, DEFAULT_REALISM_CONFIG);
  assert.equal(store.replace({ canary_probability: 0.5 }).ok, true);
  assert.equal(store.current.canary_probability, 0.5);
});
