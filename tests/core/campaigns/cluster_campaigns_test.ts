import assert from "node:assert/strict";
import { campaignFeatures } from "../../../core/campaigns/campaign_features.ts";
import { clusterCampaigns } from "../../../core/campaigns/cluster_campaigns.ts";
import { EDGE_THRESHOLD, scoreEdge } from "../../../core/campaigns/score_edge.ts";
import { UnionFind } from "../../../core/campaigns/union_find.ts";
import { mulberry32 } from "./generate_scenario.ts";

Deno.test("clusterCampaigns() keeps the maximum spanning forest when more edges come than it buffers", () => {
  // 800 identities sharing one payload: 319,600 edges, past the 262,144 + n
  // buffer, with scores spread by random session overlap and typing.
  const random = mulberry32(5);
  const T0 = Date.parse("2026-03-02T00:00:00Z");
  const at = (h: number) => new Date(T0 + h * 3600_000).toISOString();
  const n = 800;
  const features = Array.from({ length: n }, () => {
    const start = Math.floor(random() * 200);
    return campaignFeatures([{
      ip: "x",
      payload_hashes: ["shared"],
      sessions: [[at(start), at(start + 1 + Math.floor(random() * 5))]],
      tools: random() < 0.5 ? ["a"] : ["b"],
    }]);
  });
  const keys = Array.from({ length: n }, (_, k) => `k${String(k).padStart(4, "0")}`);
  const all: { i: number; j: number; combined: number }[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const { combined } = scoreEdge(features[i], features[j]);
      if (combined >= EDGE_THRESHOLD) all.push({ i, j, combined });
    }
  }
  assert.ok(all.length > 262_144 + n, `${all.length} edges overflow the buffer`);
  all.sort((x, y) => y.combined - x.combined || x.i - y.i || x.j - y.j);
  const sets = new UnionFind(n);
  const expected = all.filter(({ i, j }) => sets.union(i, j)).map((
    { i, j, combined },
  ) => [keys[i], keys[j], combined]);
  const { campaigns } = clusterCampaigns(keys, features);
  assert.equal(campaigns.length, 1);
  assert.deepEqual(campaigns[0].edges.map((e) => [e.a, e.b, e.combined]), expected);
});
