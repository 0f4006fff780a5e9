// zod costs an isolate ~4.5 MiB once evaluated; the orchestrator needs it only to check swarm
// agents' replies, so its job must not evaluate it at start (issue #20, idle memory).
import assert from "node:assert/strict";
import { codeGraph, npmPackages } from "../../infra/code_graph.ts";

Deno.test("the orchestrator's job evaluates no zod at start; it loads it for swarm agents' replies", async () => {
  const job = new URL("../../../core/orchestrator/start_orchestrator.ts", import.meta.url).href;
  assert.ok(!npmPackages(await codeGraph(job, { dynamic: false })).includes("zod"));
  // Still reachable (and so loadable from the orchestrator's Worker) where an agent answers.
  assert.ok(npmPackages(await codeGraph(job)).includes("zod"));
});
