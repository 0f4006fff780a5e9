// Under --unstable-lazy-dynamic-imports a Worker loads what it imports with import() when the call
// runs, and needs read access to it then: workerCodePaths() must hold every module decnet's code
// reaches, and nothing of a checkout that is not code.
import assert from "node:assert/strict";
import { workerCodePaths } from "../../cli/worker_code_paths.ts";
import { codeGraph } from "../infra/code_graph.ts";

const ROOT = new URL("../../", import.meta.url);

Deno.test("workerCodePaths() from a checkout holds every module main.ts reaches, dynamic imports included", async () => {
  const paths = workerCodePaths();
  const main = new URL("main.ts", ROOT).pathname;
  const outside = [...await codeGraph(new URL("main.ts", ROOT).href)]
    .filter((s) => s.startsWith("file:"))
    .map((s) => decodeURIComponent(new URL(s).pathname))
    .filter((p) => p !== main && !paths.some((code) => p === code || p.startsWith(`${code}/`)));
  assert.deepEqual(outside, []);
});

Deno.test("workerCodePaths() from a checkout leaves out its tests, tools, data and .git", () => {
  const root = decodeURIComponent(ROOT.pathname);
  for (const path of workerCodePaths()) {
    assert.ok(path.startsWith(root), path);
    const top = path.slice(root.length).split("/")[0];
    assert.ok(!["tests", "tools", "var", "dist", ".git", ".deno", ""].includes(top), path);
  }
});
