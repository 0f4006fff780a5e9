import assert from "node:assert/strict";
import { createLlmBackend, LLMCircuitBreaker } from "../../realism/mod.ts";

Deno.test("LLMCircuitBreaker opens after 3 consecutive failures", () => {
  let now = 0;
  const b = new LLMCircuitBreaker({ now: () => now });
  b.recordFailure();
  b.recordFailure();
  b.recordSuccess();
  b.recordFailure();
  b.recordFailure();
  assert.equal(b.state, "closed");
  b.recordFailure();
  assert.equal(b.state, "open");
  assert.equal(b.allow(), false);
  assert.equal(b.health().consecutive_failures, 3);
  now = 59_999;
  assert.equal(b.state, "open");
});

Deno.test("LLMCircuitBreaker half-opens after 60 s; success closes, failure re-opens", async (t) => {
  let now = 0;
  const b = new LLMCircuitBreaker({ now: () => now });
  for (let i = 0; i < 3; i++) b.recordFailure();
  await t.step("one trial at a time while half open", () => {
    now = 60_000;
    assert.equal(b.state, "half_open");
    assert.equal(b.allow(), true);
    assert.equal(b.allow(), false);
  });
  await t.step("a failed trial re-opens for another 60 s", () => {
    b.recordFailure();
    assert.equal(b.state, "open");
    now = 119_999;
    assert.equal(b.allow(), false);
    now = 120_000;
    assert.equal(b.allow(), true);
  });
  await t.step("a successful trial closes", () => {
    b.recordSuccess();
    assert.deepEqual(b.health(), { state: "closed", consecutive_failures: 0, opened_at: null });
  });
});

Deno.test("createLlmBackend() picks the backend named in the settings", async (t) => {
  await t.step("none", () => {
    for (const v of ["", "off", "none", "0", "false", "disabled", " OFF "]) {
      assert.equal(createLlmBackend({ realismLlm: v }), null, v);
    }
  });
  await t.step("each kind", () => {
    assert.equal(createLlmBackend({ realismLlm: "ollama" })?.name, "ollama");
    assert.equal(createLlmBackend({ realismLlm: "ollama" })?.model, "llama3.1");
    assert.equal(
      createLlmBackend({
        realismLlm: "openai",
        realismLlmUrl: "http://127.0.0.1:1",
        realismModel: "m",
      })
        ?.model,
      "m",
    );
    assert.equal(createLlmBackend({ realismLlm: "fake" })?.name, "fake");
  });
  await t.step("unknown", () => {
    assert.throws(() => createLlmBackend({ realismLlm: "gpt" }), RangeError);
  });
});
