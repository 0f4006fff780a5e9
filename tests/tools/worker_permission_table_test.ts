import assert from "node:assert/strict";
import { formatMarkdown } from "../../tools/config_reference.ts";
import { renderWorkerTable, withWorkerTable } from "../../tools/worker_permission_table.ts";
import type { ProbeQuestion, WorkerProbe } from "../../tools/worker_permission_table.ts";

const TOOL = new URL("../../tools/worker_permission_table.ts", import.meta.url).pathname;
const CONFIG = new URL("../../deno.json", import.meta.url).pathname;

/** What each worker may do; every act not listed must be refused by its sandbox. */
const EXPECTED: Record<string, ProbeQuestion[]> = {
  api: ["jwtSecret", "database", "apiPort", "listen", "docker", "bus", "ownPaths"],
  // The attacker-facing worker: its listeners, the bus and its own spool; no database, no secret.
  canary: ["listen", "bus", "ownPaths"],
  collector: ["database", "docker", "bus", "ownPaths"],
  orchestrator: ["database", "docker", "bus"],
  reconciler: ["database", "docker", "bus", "ownPaths"],
  // Attacker records in, identities and campaigns out: the database and the bus only.
  clusterer: ["database", "bus"],
  // Its channels' destinations are added from the database at spawn (none in the probe's fresh one).
  alerts: ["database", "bus", "ownPaths"],
  // Master: agents' batches into the database over the swarm's nats-server (added when configured).
  "swarm-master": ["database", "bus"],
  // Agent (DECNET_MODE=agent): no database, no secret; the swarm's nats-server comes from agent.json.
  "agent-collector": ["docker", "bus", "ownPaths"],
  "agent-reconciler": ["docker", "bus", "ownPaths"],
  agent: ["docker", "bus", "ownPaths"],
};

/** Probes in a process of its own: like `decnet up`, the probe removes DECNET_* from its environment. */
async function probe(): Promise<WorkerProbe[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--allow-all", "--config", CONFIG, TOOL, "--json"],
    clearEnv: true,
    env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" },
    stdout: "piped",
    stderr: "inherit",
  }).output();
  assert.ok(out.success, "the probe ran");
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

Deno.test("probeWorkerPermissions() finds each worker allowed exactly its own acts, as the README's table says", async () => {
  const probes = await probe();
  assert.deepEqual(probes.map((p) => p.worker), Object.keys(EXPECTED));
  for (const p of probes) {
    const allowed = (Object.keys(p.may) as ProbeQuestion[]).filter((q) => p.may[q]);
    assert.deepEqual(allowed, EXPECTED[p.worker], p.worker);
  }
  assert.deepEqual(probes.find((p) => p.worker === "reconciler")!.ownPaths, [
    "decnet-state.json",
    ".state-tmp",
  ]);
  const readme = await Deno.readTextFile(new URL("../../README.md", import.meta.url));
  assert.equal(
    readme,
    await formatMarkdown(withWorkerTable(readme, renderWorkerTable(probes))),
    "README's worker table is stale: run deno run -A tools/worker_permission_table.ts --write",
  );
});
