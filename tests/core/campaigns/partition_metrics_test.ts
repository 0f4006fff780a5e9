import assert from "node:assert/strict";
import { partitionScores } from "./partition_metrics.ts";

Deno.test("partitionScores() gives 1 for the same partition under other labels", () => {
  assert.deepEqual(partitionScores(["a", "a", "b", "c"], ["x", "x", "z", "y"]), {
    adjustedRand: 1,
    homogeneity: 1,
    completeness: 1,
    singletonRecall: 1,
  });
});

Deno.test("partitionScores() matches the textbook values when a cluster is split", () => {
  // sklearn: adjusted_rand_score([0,0,1,1], [0,0,1,2]) == 4/7; homogeneity 1, completeness 2/3.
  const s = partitionScores(["0", "0", "1", "1"], ["0", "0", "1", "2"]);
  assert.equal(s.adjustedRand.toFixed(6), (4 / 7).toFixed(6));
  assert.equal(s.homogeneity, 1);
  assert.equal(s.completeness.toFixed(6), (2 / 3).toFixed(6));
});

Deno.test("partitionScores() counts singletons swallowed by a cluster", () => {
  const s = partitionScores(["a", "b", "c", "c"], ["x", "x", "y", "y"]);
  assert.equal(s.singletonRecall, 0);
  assert.ok(s.homogeneity < 1);
  assert.equal(s.completeness, 1);
});

Deno.test("partitionScores() tells one cluster from all singletons", () => {
  assert.equal(partitionScores(["a", "a", "a"], ["x", "y", "z"]).adjustedRand, 0);
  assert.equal(partitionScores(["a", "a", "a"], ["x", "x", "x"]).adjustedRand, 1);
});
