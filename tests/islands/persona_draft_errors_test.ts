import assert from "node:assert/strict";
import { cleanPersonaDraft, personaDraftErrors } from "../../islands/mod.ts";
import { makePersona } from "../realism/_fixtures.ts";

const ANA = makePersona({ name: "Ana Lima", email: "ana@example.com" });

Deno.test("personaDraftErrors() shows the pool's rules at each field, capitalised", () => {
  assert.deepEqual(personaDraftErrors(ANA, []), {});
  const errors = personaDraftErrors({ ...ANA, email: "nope", language: "EN" }, []);
  assert.deepEqual(Object.keys(errors), ["email", "language"]);
  assert.match(errors.email, /^Expected an address like ana@example\.com, got "nope"$/);
});

Deno.test("personaDraftErrors() takes empty optional fields as unset", () => {
  assert.deepEqual(personaDraftErrors({ ...ANA, signature: "", timezone: "" }, []), {});
  const clean = cleanPersonaDraft({ ...ANA, signature: "", timezone: "" });
  assert.equal("signature" in clean || "timezone" in clean, false);
});

Deno.test("personaDraftErrors() refuses a name or address another persona of the batch has", () => {
  const other = makePersona({ name: "Bo Berg", email: "bo@example.com" });
  assert.deepEqual(personaDraftErrors({ ...ANA, email: "BO@example.com" }, [other]), {
    email: "Another persona already uses this address",
  });
  assert.deepEqual(Object.keys(personaDraftErrors({ ...ANA, name: "Bo Berg" }, [other])), [
    "name",
  ]);
});

Deno.test("personaDraftErrors() shows a reused address while other fields are still empty", () => {
  const errors = personaDraftErrors({ ...ANA, name: "", email: "ANA@example.com" }, [ANA]);
  assert.equal(errors.email, "Another persona already uses this address");
  assert.ok(errors.name);
});
