// Runs `decnet realism ...` as a subprocess, as an operator would.
import assert from "node:assert/strict";
import { makePersona } from "../realism/_fixtures.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

async function decnet(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const home = await Deno.makeTempDir();
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MAIN, ...args],
      cwd: home,
      env: { DECNET_HOME: home, HOME: home, ...env },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

Deno.test("realism import-personas writes valid personas and reports dropped ones", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const input = `${dir}/in.json`;
    const output = `${dir}/pool/personas.json`;
    await Deno.writeTextFile(
      input,
      JSON.stringify([makePersona(), makePersona({ name: "B", email: "b@example.com" }), {
        name: "bad",
      }]),
    );
    const r = await decnet(["realism", "import-personas", input, "-o", output]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Dropped entry 2 \(bad\): email/);
    assert.match(r.stdout, /Wrote 2 persona\(s\)/);
    assert.equal(JSON.parse(await Deno.readTextFile(output)).length, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("realism import-personas refuses when nothing is valid or on an agent", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    const input = `${dir}/in.json`;
    const output = `${dir}/out.json`;
    await Deno.writeTextFile(input, JSON.stringify([{ name: "bad" }]));
    await t.step("no valid persona", async () => {
      const r = await decnet(["realism", "import-personas", input, "-o", output]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /Refusing to write: no valid persona/);
      await assert.rejects(() => Deno.stat(output), Deno.errors.NotFound);
    });
    await t.step("agent host", async () => {
      await Deno.writeTextFile(input, JSON.stringify([makePersona()]));
      const r = await decnet(["realism", "import-personas", input, "-o", output], {
        DECNET_MODE: "agent",
      });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /agent host/);
    });
    await t.step("one persona warns", async () => {
      const r = await decnet(["realism", "import-personas", input, "-o", output]);
      assert.equal(r.code, 0);
      assert.match(r.stderr, /fewer than two/);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("realism preview prints the same JSON lines for the same seed", async () => {
  const args = [
    "realism",
    "preview",
    "--seed",
    "7",
    "--now",
    "2026-03-04T10:00:00Z",
    "--ticks",
    "30",
    "--deckies",
    "6",
    "--json",
  ];
  const a = await decnet(args);
  const b = await decnet(args);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(a.stdout, b.stdout);
  const rows = a.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(rows.length, 30);
  for (const row of rows) {
    assert.deepEqual(Object.keys(row), [
      "tick",
      "decision",
      "decky",
      "persona",
      "active_hours",
      "timezone",
      "content_class",
      "path",
      "mtime",
      "body",
    ]);
    assert.ok(["create", "edit", "skip", "idle"].includes(row.decision));
  }
  assert.ok(rows.some((r) => r.decision === "create"));
  assert.doesNotMatch(a.stdout, /decnet/i);
});

Deno.test("realism preview rejects a bad --now with exit 2", async () => {
  const r = await decnet(["realism", "preview", "--now", "yesterday"]);
  assert.equal(r.code, 2);
});
