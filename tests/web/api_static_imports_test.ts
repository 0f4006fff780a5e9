// The dashboard's views (pages, islands' server rendering, preact's renderer) cost the api Worker
// ~5 MiB idle; it loads them at the first page it serves, not at start (issue #20, idle memory).
import assert from "node:assert/strict";
import { codeGraph, npmPackages } from "../infra/code_graph.ts";

Deno.test("the api's job evaluates none of the dashboard's views at start; it loads them at the first page", async () => {
  const job = new URL("../../web/start_api.ts", import.meta.url).href;
  const views = new URL("../../web/pages/page_components.ts", import.meta.url).href;
  const atStart = await codeGraph(job, { dynamic: false });
  assert.ok(!atStart.has(views));
  assert.ok(![...atStart].some((s) => /\/web\/pages\/[a-z_]+_page\.tsx$/.test(s)));
  assert.ok(!npmPackages(atStart).includes("preact-render-to-string"));
  assert.ok((await codeGraph(job)).has(views));
});
