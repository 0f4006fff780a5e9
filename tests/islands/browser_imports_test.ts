// The browser bundle may pull in islands/ and the pure modules of realism/
// (DESIGN.md), nothing that touches Deno or Node APIs: a file of realism/ that
// does I/O (the persona pool, the LLM backends) would break in the browser
// and swell the bundle. Type-only imports (the API's view types) are erased
// by the bundler, so only imports of code are followed.
import assert from "node:assert/strict";
import { codeGraph } from "../infra/code_graph.ts";

const ROOT = new URL("../../", import.meta.url);

Deno.test("the islands bundle holds code of islands/, pure realism/ files and preact only", async () => {
  const modules = [...await codeGraph(new URL("islands/main.tsx", ROOT).href)];
  const local = modules.filter((s) => s.startsWith(ROOT.href));
  assert.ok(local.some((s) => s.includes("/realism/")), "islands validate with realism's rules");
  for (const specifier of local) {
    const path = specifier.slice(ROOT.href.length);
    assert.match(path, /^(islands|realism)\//, `${path} is outside islands/ and realism/`);
    if (!path.startsWith("realism/")) continue;
    const source = await Deno.readTextFile(new URL(specifier));
    // Doc comments may show I/O in their examples; only the code must not use it.
    const code = source.replace(/\/\*[\s\S]*?\*\//g, "");
    assert.doesNotMatch(code, /\bDeno\.|from "node:|import\(/, `${path} is not pure`);
  }
  for (const other of modules.filter((s) => !s.startsWith(ROOT.href))) {
    assert.match(other, /^npm:\/?(preact|@preact\/signals)@/, other);
  }
});
