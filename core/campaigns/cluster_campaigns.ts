import type { CampaignFeatures } from "./campaign_features.ts";
import { visitCandidatePairs } from "./candidate_pairs.ts";
import type { CampaignComponent, CampaignEdge, EdgeScore } from "./cluster_observations.ts";
import { EDGE_THRESHOLD, scoreEdge } from "./score_edge.ts";
import { UnionFind } from "./union_find.ts";

/** Campaigns sorted by key, and each identity's campaign (index into them). */
export interface CampaignPartition {
  campaigns: CampaignComponent[];
  campaignOf: Int32Array;
}

/** Edges held before they are cut down to a spanning forest (beyond one per identity). */
const EDGE_BUFFER = 1 << 18;

interface Edge {
  i: number;
  j: number;
  score: EdgeScore;
}

/**
 * The campaign layer: scores the candidate pairs of identities, keeps the
 * edges at or above the threshold and joins them strongest first
 * (Kruskal), so the components come with a maximum spanning forest that
 * says why they hold together.
 *
 * Memory stays bounded when a shared value makes millions of edges: the
 * buffer is cut down to its maximum spanning forest whenever it fills.
 * That is exact, not an approximation: an edge left out of the forest of
 * some of the edges is the weakest on a cycle among them, so it is left
 * out of the forest of all of them too (the order is total: score, then
 * indexes, so the result does not depend on when the cuts happen).
 *
 * @param keys identity keys, sorted, parallel to `features`
 */
export function clusterCampaigns(
  keys: readonly string[],
  features: readonly CampaignFeatures[],
): CampaignPartition {
  let edges: Edge[] = [];
  visitCandidatePairs(features, (i, j) => {
    const score = scoreEdge(features[i], features[j]);
    if (score.combined < EDGE_THRESHOLD) return;
    edges.push({ i, j, score });
    if (edges.length >= keys.length + EDGE_BUFFER) edges = spanningForest(edges, keys.length);
  });
  const forest = spanningForest(edges, keys.length);
  const sets = new UnionFind(keys.length);
  for (const { i, j } of forest) sets.union(i, j);
  const byRoot = new Map<number, { identities: string[]; edges: CampaignEdge[] }>();
  keys.forEach((key, i) => {
    const root = sets.find(i);
    const group = byRoot.get(root) ?? { identities: [], edges: [] };
    byRoot.set(root, group);
    group.identities.push(key);
  });
  for (const { i, j, score } of forest) {
    byRoot.get(sets.find(i))!.edges.push({ a: keys[i], b: keys[j], ...score });
  }
  // keys are sorted, so each group's first identity is its smallest (the key)
  // and groups come out in key order.
  const roots = [...byRoot.keys()];
  const campaigns = [...byRoot.values()].map((g) => ({
    key: g.identities[0],
    identities: g.identities,
    edges: g.edges,
    confidence: g.edges.reduce((c, e) => Math.min(c, e.combined / 2), 1),
  }));
  const campaignOfRoot = new Map(roots.map((root, k) => [root, k]));
  const campaignOf = Int32Array.from(keys, (_, i) => campaignOfRoot.get(sets.find(i))!);
  return { campaigns, campaignOf };
}

/** Kruskal: the maximum spanning forest of `edges`, strongest edge first. */
function spanningForest(edges: Edge[], n: number): Edge[] {
  edges.sort((x, y) => y.score.combined - x.score.combined || x.i - y.i || x.j - y.j);
  const sets = new UnionFind(n);
  return edges.filter(({ i, j }) => sets.union(i, j));
}
