import assert from "node:assert/strict";
import { duplicateEmails, validatePersona } from "../../islands/mod.ts";
import type { PersonaDraft } from "../../islands/mod.ts";

const ANA: PersonaDraft = {
  name: "Ana Lima",
  email: "ana@example.com",
  role: "Accountant",
  tone: "formal",
  mannerisms: ["signs off with Best"],
  language: "en",
  active_hours: "08:30-17:00",
  reply_latency: "10m-4h",
  uses_llms_heavily: false,
  timezone: "Europe/Lisbon",
};

Deno.test("validatePersona() accepts a complete persona", () => {
  assert.deepEqual(validatePersona(ANA), {});
});

Deno.test("validatePersona() names each bad field", async (t) => {
  const cases: [Partial<PersonaDraft>, string][] = [
    [{ name: " " }, "name"],
    [{ email: "ana" }, "email"],
    [{ role: "" }, "role"],
    [{ tone: "grumpy" }, "tone"],
    [{ language: "EN" }, "language"],
    [{ active_hours: "09:00-09:00" }, "active_hours"],
    [{ active_hours: "9-5" }, "active_hours"],
    [{ reply_latency: "4h-10m" }, "reply_latency"],
    [{ timezone: "Mars/Olympus" }, "timezone"],
    [{ mannerisms: [""] }, "mannerisms"],
  ];
  for (const [change, field] of cases) {
    await t.step(`${field} ${JSON.stringify(change)}`, () => {
      assert.deepEqual(Object.keys(validatePersona({ ...ANA, ...change })), [field]);
    });
  }
});

Deno.test("duplicateEmails() finds addresses used twice, ignoring letter case", () => {
  assert.deepEqual(
    [...duplicateEmails([ANA, { ...ANA, email: "ANA@example.com " }, { email: "b@example.com" }])],
    ["ana@example.com"],
  );
  assert.equal(duplicateEmails([ANA]).size, 0);
});
