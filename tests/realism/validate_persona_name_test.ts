import assert from "node:assert/strict";
import { validatePersonaName } from "../../realism/mod.ts";

Deno.test("validatePersonaName() takes any script and refuses control characters and markup", async (t) => {
  for (const name of ["Jane Doe", "Zoë Ångström", "李小龍", "O'Brien"]) {
    await t.step(name, () => assert.equal(validatePersonaName(name), name));
  }
  const cases: [string, RegExp][] = [
    ["", /1-120 characters/],
    ["   ", /1-120 characters/],
    ["x".repeat(121), /1-120 characters/],
    ["Jane\nDoe", /control characters/],
    ["Jane\u0000", /control characters/],
    ["Jane\rDoe", /control characters/],
    ["Jane\u2028Doe", /control characters/],
    ["<b>Jane</b>", /'<' or '>'/],
  ];
  for (const [name, reason] of cases) {
    await t.step(JSON.stringify(name.slice(0, 12)), () => {
      assert.throws(
        () => validatePersonaName(name),
        (e) => e instanceof SyntaxError && reason.test(e.message),
      );
    });
  }
});
