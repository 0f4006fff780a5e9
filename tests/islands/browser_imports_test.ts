// The browser bundle may pull in islands/ and the pure modules of realism/
// (DESIGN.md), nothing that touches Deno or Node APIs: a file of realism/ that
// does I/O (the persona pool, the LLM backends) would break in the browser
// and swell the bundle. Type-only imports (the API's view types) are erased
// by the bundler, so only imports of code are followed.
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);

interface GraphModule {
  specifier: string;
  dependencies?: { code?: { specifier: string } }[];
}

/** Every module the bundle of `entry` holds code of, by specifier. */
async function codeGraph(entry: string): Promise<string[]> {
  const info = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(info.code, 0, new TextDecoder().decode(info.stderr));
  const graph = JSON.parse(new TextDecoder().decode(info.stdout)) as {
    roots: string[];
    modules: GraphModule[];
  };
  const bySpecifier = new Map(graph.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>(graph.roots);
  const queue = [...graph.roots];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const dep of bySpecifier.get(next)?.dependencies ?? []) {
      const code = dep.code?.specifier;
      if (code && !seen.has(code)) {
        seen.add(code);
        queue.push(code);
      }
    }
  }
  return [...seen];
}

Deno.test("the islands bundle holds code of islands/, pure realism/ files and preact only", async () => {
  const modules = await codeGraph("islands/main.tsx");
  const local = modules.filter((s) => s.startsWith(ROOT.href));
  assert.ok(local.some((s) => s.includes("/realism/")), "islands validate with realism's rules");
  for (const specifier of local) {
    const path = specifier.slice(ROOT.href.length);
    assert.match(path, /^(islands|realism)\//, `${path} is outside islands/ and realism/`);
    if (!path.startsWith("realism/")) continue;
    const source = await Deno.readTextFile(new URL(specifier));
    assert.doesNotMatch(source, /\bDeno\.|from "node:|import\(/, `${path} is not pure`);
  }
  for (const other of modules.filter((s) => !s.startsWith(ROOT.href))) {
    assert.match(other, /^npm:\/?(preact|@preact\/signals)@/, other);
  }
});
