import {
  type ClusteredCampaign,
  type ClusteredIdentity,
  type FingerprintSets,
  type StoredClustering,
  unionSets,
} from "../db/mod.ts";
import { assignCampaignIds } from "./assign_campaign_ids.ts";
import type { CampaignState } from "./assign_campaign_ids.ts";
import type { CampaignComponent, ClusterResult } from "./cluster_observations.ts";
import { compareText } from "./compare_text.ts";
import { resolveCampaignId } from "./resolve_campaign_id.ts";

/** One attacker record as a clustering run saw it (observation `i` of the run is member `i`). */
export interface ClusteringMember {
  attackerId: number;
  ip: string;
  firstSeen: string;
  lastSeen: string;
  fingerprints: FingerprintSets;
}

/** A notification a run owes once it is stored (identities named by key until they have ids). */
export type ClusteringEvent =
  | { kind: "identity_formed"; identity: string }
  | { kind: "identity_assigned"; identity: string; campaign: string; previous: string | null }
  | { kind: "campaign_formed"; campaign: string }
  | { kind: "campaign_merged"; campaign: string; into: string }
  | { kind: "campaign_unmerged"; campaign: string; from: string };

/** What one run writes and announces. */
export interface ClusteringPlan {
  identities: ClusteredIdentity[];
  campaigns: ClusteredCampaign[];
  events: ClusteringEvent[];
}

/** Inputs of {@linkcode planClustering}. */
export interface PlanClusteringOptions {
  /** What the previous runs and the admins left. */
  stored: StoredClustering;
  /** The run's attacker records, in observation order. */
  members: readonly ClusteringMember[];
  /** `clusterObservations()` of the members' observations. */
  result: ClusterResult;
  /** Makes a fresh campaign id (one already stored or given in this run is asked again). */
  newId: () => string;
}

/**
 * Turns a clustering result into rows and events, keeping what the admins
 * decided: an identity an admin pinned (split off) stays in its campaign,
 * and so does an identity that now holds one of its addresses; a campaign
 * an admin merged stays merged (the clustering's merges and unmerges of it
 * are not applied nor announced). An identity whose key changed (a smaller
 * address joined it) keeps its row through `previousKey`. Campaign ids
 * come from `assignCampaignIds` (revocable soft merges). Pure.
 *
 * @example
 * ```ts
 * import { clusterObservations } from "./cluster_observations.ts";
 * const plan = planClustering({
 *   stored: { identities: [], campaigns: [] },
 *   members: [],
 *   result: clusterObservations([]),
 *   newId: () => crypto.randomUUID(),
 * });
 * plan.events.length; // 0
 * ```
 */
export function planClustering(options: PlanClusteringOptions): ClusteringPlan {
  const { stored, members, result } = options;
  const storedByKey = new Map(stored.identities.map((i) => [i.key, i]));
  const storedOfAttacker = new Map<number, StoredClustering["identities"][number]>();
  for (const i of stored.identities) for (const a of i.attackerIds) storedOfAttacker.set(a, i);
  const storedCampaigns = new Map(stored.campaigns.map((c) => [c.id, c]));

  // Each run identity's stored row: same key, or the stored identity most of its members were in.
  const keys = new Set(result.identities.map((i) => i.key));
  const claimed = new Set<string>();
  const drafts = result.identities.map((cluster) => {
    const own = cluster.observations.map((i) => members[i])
      .sort((a, b) => compareText(a.ip, b.ip));
    let previous = storedByKey.get(cluster.key);
    if (!previous) {
      const votes = new Map<string, number>();
      for (const m of own) {
        const s = storedOfAttacker.get(m.attackerId);
        if (s && !keys.has(s.key) && !claimed.has(s.key)) {
          votes.set(s.key, (votes.get(s.key) ?? 0) + 1);
        }
      }
      const best = [...votes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
      if (best) {
        previous = storedByKey.get(best[0]);
        claimed.add(best[0]);
      }
    }
    const pin = [previous, ...own.map((m) => storedOfAttacker.get(m.attackerId))]
      .find((s) => s?.pinned && s.campaignId !== null);
    return { cluster, own, previous, pin };
  });
  const pinned = new Set(drafts.filter((d) => d.pin).map((d) => d.cluster.key));

  const links = new Map<string, string>();
  for (const d of drafts) {
    const campaign = d.previous?.campaignId;
    if (!d.pin && campaign && !storedCampaigns.get(campaign)?.manual) {
      links.set(d.cluster.key, campaign);
    }
  }
  const previousState: CampaignState = {
    // An admin's merge is theirs: the clustering sees those campaigns as unmerged.
    campaigns: stored.campaigns.filter((c) => !c.manual).map((c) => ({
      id: c.id,
      mergedInto: c.mergeManual ? null : c.mergedInto,
    })),
    links,
  };
  const components: CampaignComponent[] = [];
  for (const c of result.campaigns) {
    const identities = c.identities.filter((k) => !pinned.has(k));
    if (identities.length === 0) continue;
    const edges = c.edges.filter((e) => !pinned.has(e.a) && !pinned.has(e.b));
    components.push({ ...c, identities, edges });
  }
  // A fresh id never reuses a stored one or one this run already gave (random ids can collide).
  const taken = new Set(stored.campaigns.map((c) => c.id));
  const newId = () => {
    let id: string;
    do id = options.newId(); while (taken.has(id));
    taken.add(id);
    return id;
  };
  const assignment = assignCampaignIds(
    previousState,
    components.map((c) => c.identities),
    { newId },
  );

  const identities: ClusteredIdentity[] = drafts.map((d) => ({
    key: d.cluster.key,
    ...(d.previous && d.previous.key !== d.cluster.key ? { previousKey: d.previous.key } : {}),
    firstSeen: d.own.map((m) => m.firstSeen).sort()[0],
    lastSeen: d.own.map((m) => m.lastSeen).sort().at(-1)!,
    members: d.own.map((m) => ({ attackerId: m.attackerId, ip: m.ip })),
    fingerprints: unionSets(d.own.map((m) => m.fingerprints)),
    campaignId: d.pin ? d.pin.campaignId! : assignment.state.links.get(d.cluster.key)!,
    pinned: d.pin !== undefined,
  }));

  const mergedInto = new Map<string, string | null>();
  for (const c of assignment.state.campaigns) mergedInto.set(c.id, c.mergedInto);
  for (const c of stored.campaigns) {
    if (c.mergeManual || c.manual) mergedInto.set(c.id, c.mergedInto);
  }
  const campaigns = campaignRecords(identities, mergedInto, components, assignment.componentIds);

  const manualMerge = new Set(stored.campaigns.filter((c) => c.mergeManual).map((c) => c.id));
  const events: ClusteringEvent[] = drafts.filter((d) => !d.previous)
    .map((d) => ({ kind: "identity_formed", identity: d.cluster.key }));
  for (const e of assignment.events) {
    if (e.kind === "formed") events.push({ kind: "campaign_formed", campaign: e.campaign });
    else if (e.kind === "merged" && !manualMerge.has(e.campaign)) {
      events.push({ kind: "campaign_merged", campaign: e.campaign, into: e.into });
    } else if (e.kind === "unmerged" && !manualMerge.has(e.campaign)) {
      events.push({ kind: "campaign_unmerged", campaign: e.campaign, from: e.from });
    } else if (e.kind === "identity_assigned" && e.previous !== e.campaign) {
      events.push({ ...e, kind: "identity_assigned" });
    }
  }
  return { identities, campaigns, events };
}

/**
 * Each campaign with identities: a merged one counts the identities linked
 * to it, a standing one every identity its merges lead to.
 */
function campaignRecords(
  identities: readonly ClusteredIdentity[],
  mergedInto: ReadonlyMap<string, string | null>,
  components: readonly CampaignComponent[],
  componentIds: readonly string[],
): ClusteredCampaign[] {
  const groups = new Map<string, ClusteredIdentity[]>();
  const add = (id: string, identity: ClusteredIdentity) => {
    const list = groups.get(id);
    if (list) list.push(identity);
    else groups.set(id, [identity]);
  };
  for (const identity of identities) {
    add(identity.campaignId, identity);
    const winner = resolveCampaignId(mergedInto, identity.campaignId);
    if (winner !== identity.campaignId) add(winner, identity);
  }
  const byCampaign = new Map<string, CampaignComponent[]>();
  componentIds.forEach((id, i) =>
    byCampaign.set(id, [...(byCampaign.get(id) ?? []), components[i]])
  );
  return [...groups].sort(([a], [b]) => a < b ? -1 : 1).map(([id, group]) => {
    const parts = byCampaign.get(id) ?? [];
    return {
      id,
      firstSeen: group.map((i) => i.firstSeen).sort()[0],
      lastSeen: group.map((i) => i.lastSeen).sort().at(-1)!,
      identityCount: group.length,
      addressCount: group.reduce((n, i) => n + i.members.length, 0),
      fingerprints: unionSets(group.map((i) => i.fingerprints)),
      evidence: parts.flatMap((p) => p.edges),
      confidence: parts.length === 0 ? 1 : Math.min(...parts.map((p) => p.confidence)),
      mergedInto: mergedInto.get(id) ?? null,
    };
  });
}
