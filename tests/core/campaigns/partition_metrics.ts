/**
 * Clustering quality against ground truth, over parallel label arrays:
 * adjusted Rand index, homogeneity, completeness (the two halves of the
 * V-measure) and singleton recall. Labels are opaque; only the partition
 * counts.
 */
export interface PartitionScores {
  adjustedRand: number;
  homogeneity: number;
  completeness: number;
  singletonRecall: number;
}

/** Scores `predicted` against `truth` (same length, one label per item). */
export function partitionScores(
  truth: readonly string[],
  predicted: readonly string[],
): PartitionScores {
  if (truth.length !== predicted.length) {
    throw new RangeError(
      `Cannot score: ${truth.length} truth labels, ${predicted.length} predicted`,
    );
  }
  const n = truth.length;
  const joint = new Map<string, number>();
  const truthSizes = new Map<string, number>();
  const predictedSizes = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    bump(joint, JSON.stringify([truth[i], predicted[i]]));
    bump(truthSizes, truth[i]);
    bump(predictedSizes, predicted[i]);
  }
  const pairs = (k: number) => (k * (k - 1)) / 2;
  const sum = (m: Map<string, number>) => [...m.values()].reduce((s, k) => s + pairs(k), 0);
  const index = sum(joint), a = sum(truthSizes), b = sum(predictedSizes);
  const expected = n > 1 ? (a * b) / pairs(n) : 0;
  const max = (a + b) / 2;
  // Both partitions trivial in the same way (all singletons, or one cluster): identical, so 1.
  const adjustedRand = max === expected
    ? (index === max ? 1 : 0)
    : (index - expected) / (max - expected);
  const entropy = (m: Map<string, number>) =>
    [...m.values()].reduce((h, k) => h - (k / n) * Math.log(k / n), 0);
  const hTruth = entropy(truthSizes), hPredicted = entropy(predictedSizes);
  const hJoint = entropy(joint);
  // H(C|K) = H(C,K) − H(K); homogeneity = 1 − H(C|K)/H(C) (1 when H(C) = 0).
  const homogeneity = hTruth === 0 ? 1 : 1 - (hJoint - hPredicted) / hTruth;
  const completeness = hPredicted === 0 ? 1 : 1 - (hJoint - hTruth) / hPredicted;
  let singletons = 0, kept = 0;
  for (let i = 0; i < n; i++) {
    if (truthSizes.get(truth[i]) !== 1) continue;
    singletons++;
    if (predictedSizes.get(predicted[i]) === 1) kept++;
  }
  return {
    adjustedRand: round(adjustedRand),
    homogeneity: round(homogeneity),
    completeness: round(completeness),
    singletonRecall: singletons === 0 ? 1 : kept / singletons,
  };
}

function bump(m: Map<string, number>, key: string): void {
  m.set(key, (m.get(key) ?? 0) + 1);
}

/** Twelve decimals: entropy sums leave float dust on a perfect score. */
function round(x: number): number {
  return Math.round(x * 1e12) / 1e12;
}
