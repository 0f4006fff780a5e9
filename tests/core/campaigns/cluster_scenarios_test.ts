import assert from "node:assert/strict";
import { clusterObservations } from "../../../core/campaigns/mod.ts";
import type { Observation } from "../../../core/campaigns/mod.ts";
import { runDecnet } from "../../infra/run_decnet.ts";
import { shiftObservations } from "./generate_scenario.ts";
import { partitionScores } from "./partition_metrics.ts";
import { scenarioFixtures } from "./scenario_fixtures.ts";

const PERFECT = { adjustedRand: 1, homogeneity: 1, completeness: 1, singletonRecall: 1 };
const NINETY_DAYS = 90 * 24 * 3600_000;
const fixtures = scenarioFixtures();

/** Canonical form of a partition: items grouped, labels dropped. */
function partition(labels: readonly string[]): string {
  const first = new Map<string, number>();
  return labels.map((l, i) => first.get(l) ?? (first.set(l, i), i)).join(",");
}

async function clusterByProcess(observations: readonly Observation[]) {
  const home = await Deno.makeTempDir();
  try {
    const input = `${home}/observations.jsonl`;
    await Deno.writeTextFile(input, observations.map((o) => JSON.stringify(o)).join("\n") + "\n");
    const run = await runDecnet(["cluster", "--input", input, "--json"], { home });
    assert.equal(run.code, 0, run.stderr);
    return run.stdout.trim().split("\n").map((line) =>
      JSON.parse(line) as { ip: string; identity: string; campaign: string }
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

Deno.test("clusterObservations() scores perfectly on every scenario fixture", async (t) => {
  for (const [name, s] of fixtures) {
    await t.step(name, () => {
      assert.equal(
        new Set(s.observations.map((o) => o.ip)).size,
        s.observations.length,
        "addresses unique",
      );
      const result = clusterObservations(s.observations);
      assert.deepEqual(
        partitionScores(s.identity, result.assignments.map((a) => a.identity)),
        PERFECT,
      );
      assert.deepEqual(
        partitionScores(s.campaign, result.assignments.map((a) => a.campaign)),
        PERFECT,
      );
    });
  }
});

Deno.test("clusterObservations() finds the same partition with every time shifted by 90 days", async (t) => {
  for (const [name, s] of fixtures) {
    await t.step(name, () => {
      const before = clusterObservations(s.observations).assignments;
      const after = clusterObservations(shiftObservations(s.observations, NINETY_DAYS)).assignments;
      assert.deepEqual(after, before);
    });
  }
});

Deno.test("clusterObservations() joins the handoff fixture's operators through the handoff", () => {
  const s = fixtures.get("two operators sharing C2, payloads and a handoff")!;
  const duo = clusterObservations(s.observations).campaigns.find((c) => c.identities.length === 2)!;
  assert.equal(duo.edges.length, 1);
  assert.equal(duo.edges[0].handoff, 1);
  assert.ok(duo.edges[0].infra < 1, "shared infrastructure alone would not have joined them");
});

Deno.test("decnet cluster gives every fixture the partition of clusterObservations(), the composite also shifted by 90 days", async (t) => {
  // The composite holds every fixture, so its shifted run shifts them all
  // (in-process, each fixture is also checked shifted above).
  const composite = fixtures.get("composite noise floor")!;
  const runs = [...fixtures].map(([name, s]) => ({ name, observations: s.observations, s }));
  runs.push({
    name: "composite noise floor, shifted by 90 days",
    observations: shiftObservations(composite.observations, NINETY_DAYS),
    s: composite,
  });
  // The child processes run side by side; the checks follow in order.
  const outputs = await Promise.all(runs.map((r) => clusterByProcess(r.observations)));
  for (const [k, { name, observations, s }] of runs.entries()) {
    await t.step(name, () => {
      const lines = outputs[k];
      assert.deepEqual(
        lines.map((l) => l.ip),
        observations.map((o) => o.ip),
        "one line per observation, in order",
      );
      assert.deepEqual(partitionScores(s.identity, lines.map((l) => l.identity)), PERFECT);
      assert.deepEqual(partitionScores(s.campaign, lines.map((l) => l.campaign)), PERFECT);
      const direct = clusterObservations(s.observations).assignments;
      assert.equal(
        partition(lines.map((l) => l.campaign)),
        partition(direct.map((a) => a.campaign)),
      );
    });
  }
});
