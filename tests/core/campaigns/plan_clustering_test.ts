import assert from "node:assert/strict";
import { clusterObservations } from "../../../core/campaigns/cluster_observations.ts";
import type { Observation } from "../../../core/campaigns/observation.ts";
import { type ClusteringPlan, planClustering } from "../../../core/campaigns/plan_clustering.ts";
import type { StoredClustering } from "../../../core/db/mod.ts";

const C2 = ["198.51.100.9:443"];
// Two addresses of one actor (shared JA3 and HASSH), a partner sharing its C2, a loner.
const OBSERVATIONS: Observation[] = [
  { ip: "192.0.2.5", ja3: ["j1"], hassh: ["h1"], c2_endpoints: C2 },
  { ip: "192.0.2.1", ja3: ["j1"], hassh: ["h1"], c2_endpoints: C2 },
  { ip: "192.0.2.2", ja3: ["j2"], hassh: ["h2"], c2_endpoints: C2 },
  { ip: "192.0.2.3", ja3: ["j3"], hassh: ["h3"] },
];

function members(observations: Observation[]) {
  return observations.map((o) => ({
    attackerId: Number(o.ip.split(".")[3]),
    ip: o.ip,
    firstSeen: `2026-12-01T10:00:0${o.ip.at(-1)}.000Z`,
    lastSeen: `2026-12-01T11:00:0${o.ip.at(-1)}.000Z`,
    fingerprints: { ja3: [...o.ja3!], hassh: [...o.hassh!] },
  }));
}

function plan(stored: StoredClustering, observations = OBSERVATIONS): ClusteringPlan {
  let n = 0;
  return planClustering({
    stored,
    members: members(observations),
    result: clusterObservations(observations),
    newId: () => `c${stored.campaigns.length + ++n}`,
  });
}

/** What the repository would hand back after saving `p` over `previous`. */
function stored(p: ClusteringPlan, previous?: StoredClustering): StoredClustering {
  const ids = new Map(previous?.identities.map((i) => [i.key, i.id]));
  return {
    identities: p.identities.map((i, n) => ({
      id: ids.get(i.previousKey ?? i.key) ?? 100 + n,
      key: i.key,
      campaignId: i.campaignId,
      pinned: i.pinned,
      attackerIds: i.members.map((m) => m.attackerId),
    })),
    campaigns: p.campaigns.map((c) => {
      const before = previous?.campaigns.find((x) => x.id === c.id);
      return {
        id: c.id,
        mergedInto: before?.mergeManual ? before.mergedInto : c.mergedInto,
        mergeManual: before?.mergeManual ?? false,
        manual: before?.manual ?? false,
      };
    }),
  };
}

const EMPTY: StoredClustering = { identities: [], campaigns: [] };

Deno.test("planClustering() forms identities and campaigns and announces them once", () => {
  const first = plan(EMPTY);
  assert.deepEqual(
    first.identities.map((i) => [i.key, i.members.map((m) => m.ip), i.campaignId]),
    [
      ["192.0.2.1", ["192.0.2.1", "192.0.2.5"], "c1"],
      ["192.0.2.2", ["192.0.2.2"], "c1"],
      ["192.0.2.3", ["192.0.2.3"], "c2"],
    ],
  );
  const [actor] = first.identities;
  assert.deepEqual(actor.fingerprints, { hassh: ["h1"], ja3: ["j1"] });
  assert.deepEqual([actor.firstSeen, actor.lastSeen], [
    "2026-12-01T10:00:01.000Z",
    "2026-12-01T11:00:05.000Z",
  ]);
  const [crew, loner] = first.campaigns;
  assert.deepEqual(
    [crew.id, crew.identityCount, crew.addressCount, crew.mergedInto, crew.evidence.length],
    ["c1", 2, 3, null, 1],
  );
  assert.ok(crew.confidence > 0 && crew.confidence <= 1);
  assert.deepEqual([loner.identityCount, loner.confidence, loner.evidence], [1, 1, []]);
  assert.deepEqual(first.events.map((e) => e.kind).sort(), [
    "campaign_formed",
    "campaign_formed",
    "identity_assigned",
    "identity_assigned",
    "identity_assigned",
    "identity_formed",
    "identity_formed",
    "identity_formed",
  ]);
  // The same evidence again: nothing new to announce, same rows.
  const again = plan(stored(first));
  assert.deepEqual(again.events, []);
  assert.deepEqual(again.identities, first.identities);
  assert.deepEqual(again.campaigns, first.campaigns);
});

Deno.test("planClustering() keeps an identity's row when a smaller address joins it", () => {
  const first = plan(EMPTY);
  const joined = plan(stored(first), [
    ...OBSERVATIONS,
    { ip: "192.0.2.0", ja3: ["j1"], hassh: ["h1"], c2_endpoints: C2 },
  ]);
  const actor = joined.identities.find((i) => i.members.length === 3)!;
  assert.deepEqual([actor.key, actor.previousKey, actor.campaignId], [
    "192.0.2.0",
    "192.0.2.1",
    "c1",
  ]);
  assert.equal(joined.events.some((e) => e.kind === "identity_formed"), false);
});

Deno.test("planClustering() leaves a split-off identity where the admin put it", () => {
  const first = stored(plan(EMPTY));
  const partner = first.identities.find((i) => i.key === "192.0.2.2")!;
  partner.campaignId = "c9";
  partner.pinned = true;
  first.campaigns.push({ id: "c9", mergedInto: null, mergeManual: false, manual: true });
  const next = plan(first);
  const p = next.identities.find((i) => i.key === "192.0.2.2")!;
  assert.deepEqual([p.campaignId, p.pinned], ["c9", true]);
  const crew = next.campaigns.find((c) => c.id === "c1")!;
  assert.deepEqual([crew.identityCount, crew.evidence], [1, []]);
  assert.equal(next.campaigns.find((c) => c.id === "c9")?.identityCount, 1);
  assert.deepEqual(next.events, []);
});

Deno.test("planClustering() keeps an admin's merge and does not announce an unmerge of it", () => {
  const first = stored(plan(EMPTY));
  first.campaigns.find((c) => c.id === "c2")!.mergedInto = "c1";
  first.campaigns.find((c) => c.id === "c2")!.mergeManual = true;
  const next = plan(first);
  assert.deepEqual(next.events, []);
  const loner = next.campaigns.find((c) => c.id === "c2")!;
  assert.equal(loner.mergedInto, "c1");
  // The winner counts the merged campaign's identity too.
  assert.equal(next.campaigns.find((c) => c.id === "c1")?.identityCount, 3);
});

Deno.test("planClustering() undoes a clustering merge when the evidence goes", () => {
  const apart = plan(EMPTY, OBSERVATIONS.map((o) => ({ ...o, c2_endpoints: undefined })));
  const joined = plan(stored(apart), OBSERVATIONS);
  assert.deepEqual(joined.events.filter((e) => e.kind === "campaign_merged").length, 1);
  const split = plan(stored(joined), OBSERVATIONS.map((o) => ({ ...o, c2_endpoints: undefined })));
  assert.deepEqual(split.events.map((e) => e.kind), ["campaign_unmerged"]);
});

Deno.test("planClustering() never gives two campaigns one id, nor a stored one", () => {
  const ids = ["c1", "c1", "c1", "c2", "c3"];
  const first = planClustering({
    stored: EMPTY,
    members: members(OBSERVATIONS),
    result: clusterObservations(OBSERVATIONS),
    newId: () => ids.shift()!,
  });
  assert.deepEqual(first.campaigns.map((c) => c.id), ["c1", "c2"]);
  const later = ["c2", "c4"];
  const apart = OBSERVATIONS.map((o) => ({ ...o, c2_endpoints: undefined }));
  const next = planClustering({
    stored: stored(first),
    members: members(apart),
    result: clusterObservations(apart),
    newId: () => later.shift()!,
  });
  assert.deepEqual(next.campaigns.map((c) => c.id).sort(), ["c1", "c2", "c4"]);
});
