import type { CampaignFeatures } from "./campaign_features.ts";
import { candidatePairs } from "./candidate_pairs.ts";
import type { CampaignComponent, CampaignEdge } from "./cluster_observations.ts";
import { EDGE_THRESHOLD, scoreEdge } from "./score_edge.ts";
import { UnionFind } from "./union_find.ts";

/** Campaigns sorted by key, and each identity's campaign (index into them). */
export interface CampaignPartition {
  campaigns: CampaignComponent[];
  campaignOf: Int32Array;
}

/**
 * The campaign layer: scores the candidate pairs of identities, keeps the
 * edges at or above the threshold and joins them strongest first
 * (Kruskal), so the components come with a maximum spanning tree that
 * says why they hold together.
 *
 * @param keys identity keys, sorted, parallel to `features`
 */
export function clusterCampaigns(
  keys: readonly string[],
  features: readonly CampaignFeatures[],
): CampaignPartition {
  const edges: { i: number; j: number; edge: CampaignEdge }[] = [];
  for (const [i, j] of candidatePairs(features)) {
    const score = scoreEdge(features[i], features[j]);
    if (score.combined >= EDGE_THRESHOLD) {
      edges.push({ i, j, edge: { a: keys[i], b: keys[j], ...score } });
    }
  }
  // Pairs come sorted by (i, j); a stable sort keeps that order among equal scores.
  edges.sort((x, y) => y.edge.combined - x.edge.combined);
  const sets = new UnionFind(keys.length);
  const tree: { i: number; edge: CampaignEdge }[] = [];
  for (const { i, j, edge } of edges) if (sets.union(i, j)) tree.push({ i, edge });
  const byRoot = new Map<number, { identities: string[]; edges: CampaignEdge[] }>();
  keys.forEach((key, i) => {
    const root = sets.find(i);
    const group = byRoot.get(root) ?? { identities: [], edges: [] };
    byRoot.set(root, group);
    group.identities.push(key);
  });
  for (const { i, edge } of tree) byRoot.get(sets.find(i))!.edges.push(edge);
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
