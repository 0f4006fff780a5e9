// Each of `decnet up`'s Workers starts from its own entry (cli/worker_entries/<name>.ts): a
// Worker loads and analyses every module its entry reaches, dynamic imports included, so the
// entry must reach its one worker's code, not the CLI nor the other workers' jobs.
import assert from "node:assert/strict";
import { buildWorkerRegistry } from "../../cli/worker_registry.ts";
import { workerEntryUrl } from "../../cli/worker_entry_url.ts";
import { codeGraph } from "../infra/code_graph.ts";

const ROOT = new URL("../../", import.meta.url);
const MAIN = new URL("main.ts", ROOT).href;

Deno.test("workerEntryUrl() is each worker's own entry from source; a name without one gets the main module", () => {
  for (const name of buildWorkerRegistry().names()) {
    const url = workerEntryUrl(name, MAIN);
    assert.equal(url, new URL(`cli/worker_entries/${name.replaceAll("-", "_")}.ts`, ROOT).href);
  }
  assert.equal(workerEntryUrl("no-such-worker", MAIN), MAIN);
});

Deno.test("a worker's entry runs that worker and reaches no other worker's job, nor the CLI", async () => {
  const registry = buildWorkerRegistry();
  const graphs = new Map<string, Set<string>>();
  const definitionModules = new Map<string, string>();
  for (const name of registry.names()) {
    const entry = workerEntryUrl(name, MAIN);
    const graph = await codeGraph(entry);
    graphs.set(name, graph);
    // The module that defines the worker: it exports the registry's definition of that name.
    const source = await Deno.readTextFile(new URL(entry));
    const imported = [...source.matchAll(/from "([^"]+)"/g)].map((m) => new URL(m[1], entry).href)
      .filter((s) => !s.endsWith("/core/workers/worker_thread.ts"));
    assert.equal(imported.length, 1, `${entry} imports one worker definition`);
    const exports = Object.values(await import(imported[0]));
    assert.ok(exports.includes(registry.get(name)), `${imported[0]} exports the ${name} worker`);
    definitionModules.set(name, imported[0]);
  }
  for (const [name, graph] of graphs) {
    for (const cli of ["cli/run_cli.ts", "cli/worker_registry.ts", "main.ts"]) {
      assert.ok(!graph.has(new URL(cli, ROOT).href), `${name}'s entry reaches ${cli}`);
    }
    for (const [other, module] of definitionModules) {
      if (other !== name && module !== definitionModules.get(name)) {
        assert.ok(!graph.has(module), `${name}'s entry reaches ${other}'s definition`);
      }
    }
  }
  // The attacker-facing canary worker holds no npm library but the bus's NATS client (which it
  // loads only when DECNET_BUS_URL names a NATS server).
  const canaryNpm = [...graphs.get("canary")!].filter((s) => s.startsWith("npm:"));
  assert.deepEqual(canaryNpm.map((s) => /^npm:\/?(@?[^@]+)@/.exec(s)![1]), [
    "@nats-io/transport-node",
  ]);
});
