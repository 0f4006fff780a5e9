// The browser bundle may pull in islands/ and the pure modules of realism/
// (DESIGN.md), nothing that touches Deno or Node APIs: a file of realism/ that
// does I/O (the persona pool, the LLM backends) would break in the browser
// and swell the bundle.
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);

Deno.test("the islands bundle imports only islands/, pure realism/ files and preact", async () => {
  const info = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "islands/main.tsx"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(info.code, 0, new TextDecoder().decode(info.stderr));
  const { modules } = JSON.parse(new TextDecoder().decode(info.stdout)) as {
    modules: { specifier: string }[];
  };
  const local = modules.map((m) => m.specifier).filter((s) => s.startsWith(ROOT.href));
  const realism = local.filter((s) => s.startsWith(`${ROOT.href}realism/`));
  assert.ok(realism.length > 0, "islands validate with realism's rules");
  for (const specifier of local) {
    const path = specifier.slice(ROOT.href.length);
    assert.match(path, /^(islands|realism)\//, `${path} is outside islands/ and realism/`);
    if (!path.startsWith("realism/")) continue;
    const source = await Deno.readTextFile(new URL(specifier));
    assert.doesNotMatch(source, /\bDeno\.|from "node:|import\(/, `${path} is not pure`);
  }
  const packages = modules.map((m) => m.specifier).filter((s) => s.startsWith("npm:"));
  for (const p of packages) assert.match(p, /^npm:\/?(preact|@preact\/signals)/, p);
});
