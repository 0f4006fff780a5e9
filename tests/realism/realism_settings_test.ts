import assert from "node:assert/strict";
import { parseRealismSettings } from "../../realism/mod.ts";

Deno.test("parseRealismSettings() validates the whole document", async (t) => {
  await t.step("defaults for an empty object", () => {
    const r = parseRealismSettings({});
    assert.ok(r.ok);
    assert.deepEqual(r.settings.action_weights, { traffic: 45, file: 45, email: 10 });
    assert.equal(r.settings.llm.enabled, null);
  });
  await t.step("every issue at once", () => {
    const r = parseRealismSettings({
      weights: { note: -1 },
      canary_probability: 2,
      action_weights: { traffic: 0, file: 0, email: 0 },
      llm: { enabled: "yes", model: "bad model!", timeout_seconds: 0 },
    });
    assert.ok(!r.ok);
    const fields = r.errors.map((e) => e.field);
    for (
      const f of [
        "weights.note",
        "canary_probability",
        "action_weights",
        "llm.enabled",
        "llm.model",
        "llm.timeout_seconds",
      ]
    ) {
      assert.ok(fields.includes(f), `${f} in ${fields.join(",")}`);
    }
  });
  await t.step("a valid document round-trips", () => {
    const r = parseRealismSettings({
      canary_probability: 0.1,
      action_weights: { email: 50 },
      llm: { enabled: true, model: "qwen2.5:7b", timeout_seconds: 5 },
    });
    assert.ok(r.ok);
    const again = parseRealismSettings(JSON.parse(JSON.stringify(r.settings)));
    assert.ok(again.ok);
    assert.deepEqual(again.settings, r.settings);
  });
});
