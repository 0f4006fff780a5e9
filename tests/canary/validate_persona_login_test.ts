import assert from "node:assert/strict";
import { validatePersonaLogin } from "../../canary/mod.ts";

Deno.test("validatePersonaLogin() takes account names and refuses paths and markup", async (t) => {
  for (const login of ["jdoe", "_svc", "j.doe-2"]) {
    await t.step(login, () => assert.equal(validatePersonaLogin(login), login));
  }
  for (const login of ["", "../root", "JDoe", "1st", "a b", "<b>", "a".repeat(33)]) {
    await t.step(JSON.stringify(login), () => {
      assert.throws(() => validatePersonaLogin(login), SyntaxError);
    });
  }
});
