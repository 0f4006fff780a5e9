import assert from "node:assert/strict";
import {
  duplicatePersonaIssue,
  parsePersonas,
  parseReplyLatency,
  personaIssues,
  PersonaPool,
} from "../../realism/mod.ts";
import type { PoolFileSystem } from "../../realism/mod.ts";
import { examplePersonas, makePersona } from "./_fixtures.ts";

Deno.test("parsePersonas() keeps valid entries and explains each dropped one", () => {
  const good = makePersona();
  const { personas, dropped } = parsePersonas([
    good,
    { ...good, name: "B", tone: "grumpy" },
    { ...good, name: "C", active_hours: "9-5" },
    { ...good, name: "D", language: "english" },
    { ...good, name: "E", timezone: "Mars/Olympus" },
    { ...good, name: "F", email: "nope" },
    { ...good, name: "G", colour: "blue" },
    good,
    "text",
  ]);
  assert.deepEqual(personas.map((p) => p.name), ["Ana Lopez"]);
  assert.deepEqual(dropped.map((d) => d.index), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.match(dropped[0].reason, /^tone: expected one of formal, direct/);
  assert.match(dropped[1].reason, /^active_hours/);
  assert.match(dropped[2].reason, /^language/);
  assert.match(dropped[3].reason, /^timezone/);
  assert.match(dropped[4].reason, /^email/);
  assert.match(dropped[5].reason, /unknown field\(s\): colour/);
  assert.match(dropped[6].reason, /^name: another persona already has this name/);
  assert.match(dropped[7].reason, /expected an object/);
});

Deno.test("personaIssues() names each bad field, every one at once", async (t) => {
  assert.deepEqual(personaIssues(makePersona()), []);
  const cases: [Record<string, unknown>, string][] = [
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
    [{ uses_llms_heavily: "yes" }, "uses_llms_heavily"],
    [{ signature: "x".repeat(501) }, "signature"],
    // Control characters and addresses that would break or extend a mail header.
    [{ name: "Ana\r\nBcc: x@evil.test" }, "name"],
    [{ name: "Ana\u0000" }, "name"],
    [{ name: "Ana <ana@example.com>" }, "name"],
    [{ email: "ana@example.com\r\nBcc: x@evil.test" }, "email"],
    [{ email: "ana\u0000@example.com" }, "email"],
    [{ email: "ana,x@example.com" }, "email"],
    [{ email: "ana@example.com;x@evil.test" }, "email"],
    [{ role: "SRE\nX-Header: 1" }, "role"],
    [{ mannerisms: ["ok", "bad\u0007"] }, "mannerisms"],
    [{ signature: "Ana\r\n-- \r\nCorp" }, "signature"],
    [{ signature: "Ana\u001b[31m" }, "signature"],
  ];
  for (const [change, field] of cases) {
    await t.step(`${field} ${JSON.stringify(change).slice(0, 40)}`, () => {
      assert.deepEqual(personaIssues({ ...makePersona(), ...change }).map((i) => i.field), [field]);
    });
  }
  await t.step("a signature may span lines", () => {
    assert.deepEqual(personaIssues({ ...makePersona(), signature: "Ana\n\tSRE, Corp" }), []);
  });
  await t.step("all at once, in field order", () => {
    const issues = personaIssues({ ...makePersona(), email: "ana", tone: "grumpy", language: 1 });
    assert.deepEqual(issues.map((i) => i.field), ["email", "tone", "language"]);
  });
});

Deno.test("parsePersonas() drops a later entry reusing an address, letter case aside", () => {
  const { personas, dropped } = parsePersonas([
    makePersona({ name: "A", email: "ana@example.com" }),
    makePersona({ name: "B", email: "ANA@example.com" }),
  ]);
  assert.deepEqual(personas.map((p) => p.name), ["A"]);
  assert.deepEqual(dropped, [{
    index: 1,
    name: "B",
    field: "email",
    reason: "email: another persona already uses this address",
  }]);
});

Deno.test("parsePersonas() does not echo a refused name", () => {
  const { dropped } = parsePersonas([makePersona({ name: "Ana\u001b[2J" })]);
  assert.equal(dropped[0].name, null);
  assert.match(dropped[0].reason, /^name: expected a display name without control characters$/);
});

Deno.test("parsePersonas() defaults mannerisms and uses_llms_heavily", () => {
  const { mannerisms: _m, uses_llms_heavily: _u, ...rest } = makePersona();
  const { personas } = parsePersonas([rest]);
  assert.deepEqual(personas[0].mannerisms, []);
  assert.equal(personas[0].uses_llms_heavily, false);
});

Deno.test("parsePersonas() throws when the input is not an array", () => {
  assert.throws(() => parsePersonas({}), /Cannot parse personas: expected a JSON array/);
});

Deno.test("parseReplyLatency() reads MIN-MAX durations", () => {
  assert.deepEqual(parseReplyLatency("10m-2h"), [600, 7200]);
  assert.equal(parseReplyLatency("2h-10m"), null);
  assert.equal(parseReplyLatency("soon"), null);
});

Deno.test("the shipped example personas are all valid and diverse", async () => {
  const text = await Deno.readTextFile(
    new URL("../../deploy/personas.example.json", import.meta.url),
  );
  const { personas, dropped } = parsePersonas(JSON.parse(text));
  assert.deepEqual(dropped, []);
  assert.ok(personas.length >= 8);
  assert.ok(new Set(personas.map((p) => p.language)).size >= 4);
  assert.ok(new Set(personas.map((p) => p.tone)).size >= 4);
  assert.ok(new Set(personas.map((p) => p.timezone)).size >= 6);
  assert.equal((await examplePersonas()).length, personas.length);
});

function fakeFs(files: Record<string, { text: string; mtime: number }>): PoolFileSystem & {
  reads: number;
} {
  const fs = {
    reads: 0,
    stat(path: string): Promise<{ mtime: Date | null }> {
      const f = files[path];
      if (!f) return Promise.reject(new Deno.errors.NotFound(path));
      return Promise.resolve({ mtime: new Date(f.mtime) });
    },
    readTextFile(path: string): Promise<string> {
      fs.reads++;
      return Promise.resolve(files[path].text);
    },
  };
  return fs;
}

Deno.test("PersonaPool.load() searches /etc then the home directory", async () => {
  const text = JSON.stringify([makePersona()]);
  const fs = fakeFs({ "/home/op/.decnet/email_personas.json": { text, mtime: 1 } });
  const pool = new PersonaPool({ homeDir: "/home/op", fs });
  const loaded = await pool.load();
  assert.equal(loaded.path, "/home/op/.decnet/email_personas.json");
  assert.equal(loaded.personas.length, 1);
  const none = await new PersonaPool({ homeDir: "/nowhere", fs }).load();
  assert.equal(none.path, null);
});

Deno.test("PersonaPool.load() caches until the mtime changes", async () => {
  const files = {
    "/srv/p.json": { text: JSON.stringify([makePersona()]), mtime: 1 },
  };
  const fs = fakeFs(files);
  const pool = new PersonaPool({ configuredPath: "/srv/p.json", fs });
  await pool.load();
  await pool.load();
  assert.equal(fs.reads, 1);
  files["/srv/p.json"] = {
    text: JSON.stringify([makePersona(), makePersona({ name: "B", email: "b@example.com" })]),
    mtime: 2,
  };
  assert.equal((await pool.load()).personas.length, 2);
  assert.equal(fs.reads, 2);
  pool.resetCache();
  await pool.load();
  assert.equal(fs.reads, 3);
});

Deno.test("PersonaPool.load() refuses a missing configured file and bad JSON", async () => {
  await assert.rejects(
    () => new PersonaPool({ configuredPath: "/missing.json", fs: fakeFs({}) }).load(),
    Deno.errors.NotFound,
  );
  const fs = fakeFs({ "/bad.json": { text: "{", mtime: 1 } });
  await assert.rejects(
    () => new PersonaPool({ configuredPath: "/bad.json", fs }).load(),
    /Cannot read persona pool \/bad.json: not valid JSON/,
  );
});

Deno.test("duplicatePersonaIssue() compares trimmed names and addresses without letter case", () => {
  const earlier = [makePersona({ name: "Ana", email: "ana@example.com" })];
  assert.equal(duplicatePersonaIssue({ name: "Bo", email: "bo@example.com" }, earlier), null);
  assert.equal(
    duplicatePersonaIssue({ name: " Ana ", email: "x@example.com" }, earlier)?.field,
    "name",
  );
  assert.equal(
    duplicatePersonaIssue({ name: "Bo", email: "Ana@Example.com" }, earlier)?.field,
    "email",
  );
});
