import assert from "node:assert/strict";
import { realismFormErrors, realismFormSettings } from "../../islands/mod.ts";
import type { RealismForm } from "../../islands/mod.ts";

const FORM: RealismForm = {
  weights: { note: "30", log_cron: "12", canary_ssh_key: "1" },
  canary_probability: "0.05",
  action_weights: { traffic: "1", file: "1", email: "1" },
};

Deno.test("realismFormSettings() gives the form's numbers, blank as NaN", () => {
  assert.deepEqual(realismFormSettings(FORM), {
    weights: { note: 30, log_cron: 12, canary_ssh_key: 1 },
    canary_probability: 0.05,
    action_weights: { traffic: 1, file: 1, email: 1 },
  });
  const blank = realismFormSettings({ ...FORM, canary_probability: " " });
  assert.ok(Number.isNaN(blank.canary_probability));
});

Deno.test("realismFormErrors() reports the server's rules at each field", async (t) => {
  await t.step("valid settings", () => assert.deepEqual(realismFormErrors(FORM), {}));
  const cases: [RealismForm, string[]][] = [
    [{ ...FORM, canary_probability: "1.5" }, ["canary_probability"]],
    [{ ...FORM, canary_probability: "" }, ["canary_probability"]],
    [{ ...FORM, weights: { ...FORM.weights, note: "-1" } }, ["weights.note"]],
    [{ ...FORM, weights: { ...FORM.weights, bogus: "1" } }, ["weights.bogus"]],
    [{ ...FORM, action_weights: { traffic: "0", file: "0", email: "0" } }, ["action_weights"]],
    [{ ...FORM, action_weights: { ...FORM.action_weights, file: "abc" } }, [
      "action_weights.file",
    ]],
  ];
  for (const [form, fields] of cases) {
    await t.step(fields.join(", "), () => {
      assert.deepEqual(Object.keys(realismFormErrors(form)).sort(), [...fields].sort());
    });
  }
  await t.step("messages are the server's, capitalised", () => {
    assert.equal(
      realismFormErrors({ ...FORM, canary_probability: "1.5" }).canary_probability,
      "Expected a number 0-1, got 1.5",
    );
  });
  await t.step("every class group needs a weight; issues of one field are joined", () => {
    const zero = ["note", "todo", "draft", "script", "log_cron", "log_daemon", "cache_tmp"];
    const weights = Object.fromEntries(zero.map((c) => [c, "0"]));
    const errors = realismFormErrors({ ...FORM, weights });
    assert.deepEqual(Object.keys(errors), ["weights"]);
    assert.match(errors.weights, /^At least one user class .*; at least one system class/);
  });
});
