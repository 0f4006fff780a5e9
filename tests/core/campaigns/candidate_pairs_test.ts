import assert from "node:assert/strict";
import type { Observation } from "../../../core/campaigns/mod.ts";
import { campaignFeatures } from "../../../core/campaigns/campaign_features.ts";
import { visitCandidatePairs } from "../../../core/campaigns/candidate_pairs.ts";
import { EDGE_THRESHOLD, scoreEdge } from "../../../core/campaigns/score_edge.ts";
import { mulberry32 } from "./generate_scenario.ts";
import { scenarioFixtures } from "./scenario_fixtures.ts";

/** Every pair at or above the threshold, by scoring all n² pairs. */
function edgesByFullScan(observations: readonly Observation[]): string[] {
  const features = observations.map((o) => campaignFeatures([o]));
  const edges: string[] = [];
  for (let i = 0; i < features.length; i++) {
    for (let j = i + 1; j < features.length; j++) {
      if (scoreEdge(features[i], features[j]).combined >= EDGE_THRESHOLD) edges.push(`${i}-${j}`);
    }
  }
  return edges;
}

/** The candidates' edges; every candidate pair visited once, smaller index first. */
function edgesByBlocking(observations: readonly Observation[]): string[] {
  const features = observations.map((o) => campaignFeatures([o]));
  const pairs: [number, number][] = [];
  visitCandidatePairs(features, (i, j) => pairs.push([i, j]));
  const keys = pairs.map(([i, j]) => i * features.length + j);
  assert.equal(new Set(keys).size, keys.length, "no pair visited twice");
  assert.ok(pairs.every(([i, j]) => i < j));
  return pairs.sort(([a, b], [c, d]) => a - c || b - d)
    .filter(([i, j]) => scoreEdge(features[i], features[j]).combined >= EDGE_THRESHOLD)
    .map(([i, j]) => `${i}-${j}`);
}

/**
 * Observations drawn from tiny value pools so that many pairs land near
 * the threshold: shared payloads, simhashes a few bits apart, overlapping
 * sessions, handoffs in and out of the 24 h window.
 */
function crowdedObservations(seed: number, n: number): Observation[] {
  const random = mulberry32(seed);
  const pickOf = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const T0 = Date.parse("2026-03-02T00:00:00Z");
  const at = (hours: number) => new Date(T0 + hours * 3600_000).toISOString();
  const base = 0x0123456789abcdefn;
  return Array.from({ length: n }, (_, k) => {
    const start = Math.floor(random() * 72);
    const flips = Array.from(
      { length: Math.floor(random() * 4) },
      () => 1n << BigInt(Math.floor(random() * 64)),
    );
    const simhash = flips.reduce((h, bit) => h ^ bit, base).toString(16).padStart(16, "0");
    return {
      ip: `198.18.0.${k}`,
      asn: pickOf([64500, 64501]),
      tools: random() < 0.5 ? ["nmap"] : ["hydra", "nmap"],
      payload_hashes: random() < 0.2 ? [pickOf(["p1", "p2", "p3", "p4"])] : [],
      c2_endpoints: random() < 0.1 ? [pickOf(["c1", "c2"])] : [],
      kd_simhash: random() < 0.6 ? simhash : undefined,
      sessions: [[at(start), at(start + 1 + random() * 6)]],
      phases: random() < 0.4
        ? [{
          decky: pickOf(["dc01", "web01"]),
          phase: pickOf([
            "command_and_control",
            "persistence",
            "discovery",
            "lateral_movement",
            "collection",
          ]),
          at: at(start + random() * 30),
        }]
        : [],
    };
  });
}

Deno.test("visitCandidatePairs() misses no edge that scoring every pair finds", async (t) => {
  for (const [name, s] of scenarioFixtures()) {
    await t.step(name, () => {
      assert.deepEqual(edgesByBlocking(s.observations), edgesByFullScan(s.observations));
    });
  }
  for (const seed of [1, 2, 3, 4, 5]) {
    await t.step(`crowded random observations, seed ${seed}`, () => {
      const observations = crowdedObservations(seed, 150);
      const full = edgesByFullScan(observations);
      assert.ok(
        full.length > 20,
        `the data is crowded enough to test anything (${full.length} edges)`,
      );
      assert.deepEqual(edgesByBlocking(observations), full);
    });
  }
});

Deno.test("visitCandidatePairs() looks at far fewer pairs than all of them", () => {
  const observations = crowdedObservations(9, 400);
  let pairs = 0;
  visitCandidatePairs(observations.map((o) => campaignFeatures([o])), () => pairs++);
  assert.ok(pairs < (400 * 399) / 2 / 4, `${pairs} candidate pairs`);
});
