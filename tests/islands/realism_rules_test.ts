import assert from "node:assert/strict";
import { validateRealism } from "../../islands/mod.ts";
import type { ClassInfo, RealismForm } from "../../islands/mod.ts";

const CLASSES: ClassInfo[] = [
  { name: "note", group: "user" },
  { name: "log_cron", group: "system" },
  { name: "canary_ssh_key", group: "canary" },
];

const FORM: RealismForm = {
  weights: { note: "30", log_cron: "12", canary_ssh_key: "1" },
  canary_probability: "0.05",
  action_weights: { traffic: "1", file: "1", email: "1" },
};

Deno.test("validateRealism() accepts valid settings", () => {
  assert.deepEqual(validateRealism(FORM, CLASSES), {});
});

Deno.test("validateRealism() reports each problem at its field", async (t) => {
  const cases: [RealismForm, string[]][] = [
    [{ ...FORM, canary_probability: "1.5" }, ["canary_probability"]],
    [{ ...FORM, canary_probability: "" }, ["canary_probability"]],
    [{ ...FORM, weights: { ...FORM.weights, note: "-1" } }, ["weights.note", "weights.user"]],
    [{ ...FORM, weights: { ...FORM.weights, canary_ssh_key: "0" } }, ["weights.canary"]],
    [{ ...FORM, action_weights: { traffic: "0", file: "0", email: "0" } }, ["action_weights"]],
    [{ ...FORM, action_weights: { ...FORM.action_weights, file: "abc" } }, [
      "action_weights.file",
    ]],
  ];
  for (const [form, fields] of cases) {
    await t.step(fields.join(", "), () => {
      assert.deepEqual(Object.keys(validateRealism(form, CLASSES)).sort(), [...fields].sort());
    });
  }
  await t.step("no canary class needed when the canary probability is 0", () => {
    const form = {
      ...FORM,
      canary_probability: "0",
      weights: { ...FORM.weights, canary_ssh_key: "0" },
    };
    assert.deepEqual(validateRealism(form, CLASSES), {});
  });
});
