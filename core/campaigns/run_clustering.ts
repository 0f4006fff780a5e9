import { campaignTopic, identityTopic } from "../bus/mod.ts";
import type { Bus, CampaignMergePayload, CampaignPayload } from "../bus/mod.ts";
import type { CampaignsRepository, DomainEventKind } from "../db/mod.ts";
import type { AttackerObservations } from "./attacker_observations.ts";
import { clusterObservations } from "./cluster_observations.ts";
import { type ClusteringEvent, planClustering } from "./plan_clustering.ts";

/** Options of {@linkcode runClustering}. */
export interface RunClusteringOptions {
  campaigns: CampaignsRepository;
  /** The attacker records as observations (read incrementally). */
  inputs: AttackerObservations;
  bus: Bus;
  /** The fleet's own and the operator's benign sources: never clustered. */
  isBenign: (ip: string) => boolean;
  /** Makes a fresh campaign id. */
  newId: () => string;
  now: () => Date;
}

/** What one run did. */
export interface ClusteringRunStats {
  /** Attacker records clustered (benign ones left out). */
  attackers: number;
  /** Records re-read since the previous run. */
  changed: number;
  identities: number;
  campaigns: number;
  /** Bus events published. */
  events: number;
}

/**
 * One clustering run: attacker records to observations, identities and
 * campaigns (`clusterObservations`), ids kept across runs with the admins'
 * decisions (`planClustering`), written in one transaction, then announced
 * on the bus (after the commit: the database is the truth).
 *
 * @example
 * ```ts
 * import type { Bus } from "../bus/mod.ts";
 * import type { Repositories } from "../db/mod.ts";
 * import { AttackerObservations } from "./attacker_observations.ts";
 * declare const repos: Repositories;
 * declare const bus: Bus;
 * const stats = await runClustering({
 *   campaigns: repos.campaigns,
 *   inputs: new AttackerObservations(repos.campaigns),
 *   bus,
 *   isBenign: () => false,
 *   newId: () => crypto.randomUUID(),
 *   now: () => new Date(),
 * });
 * ```
 */
export async function runClustering(options: RunClusteringOptions): Promise<ClusteringRunStats> {
  const { campaigns, bus } = options;
  const read = await options.inputs.refresh();
  const keep = read.members.map((m) => !options.isBenign(m.ip));
  const members = read.members.filter((_, i) => keep[i]);
  const observations = read.observations.filter((_, i) => keep[i]);
  const result = clusterObservations(observations);
  const plan = planClustering({
    stored: await campaigns.loadClustering(),
    members,
    result,
    newId: options.newId,
  });
  const at = options.now().toISOString();
  const campaignRecords = new Map(plan.campaigns.map((c) => [c.id, c]));
  // Campaign events are stored with the run (the alerts worker follows them from the table) and published alike.
  const campaignEvents = plan.events.flatMap((e) => campaignEvent(e) ?? []);
  const ids = await campaigns.saveClustering({ ...plan, events: campaignEvents });
  const identities = new Map(plan.identities.map((i) => [i.key, i]));
  for (const event of plan.events) publish(event);
  return {
    attackers: members.length,
    changed: read.changed,
    identities: plan.identities.length,
    campaigns: plan.campaigns.filter((c) => c.mergedInto === null).length,
    events: plan.events.length,
  };

  function publish(e: ClusteringEvent): void {
    switch (e.kind) {
      case "identity_formed": {
        // A new row: its payload is the record as written (no notes yet), not a second read.
        const i = identities.get(e.identity)!;
        const id = ids.get(e.identity)!;
        bus.publish(identityTopic(id, "formed"), {
          id,
          key: i.key,
          first_seen: i.firstSeen,
          last_seen: i.lastSeen,
          address_count: i.members.length,
          fingerprints: i.fingerprints,
          campaign_id: i.campaignId,
          pinned: i.pinned,
          notes: "",
        });
        return;
      }
      case "identity_assigned": {
        const id = ids.get(e.identity)!;
        bus.publish(identityTopic(id, "campaign_assigned"), {
          identity_id: id,
          campaign_id: e.campaign,
          previous_campaign_id: e.previous,
          at,
        });
        return;
      }
      case "campaign_formed":
      case "campaign_merged":
      case "campaign_unmerged": {
        const stored = campaignEvent(e);
        if (!stored) return;
        const id = "id" in stored.payload ? stored.payload.id : stored.payload.campaign_id;
        const event = stored.kind === "campaign_formed"
          ? "formed"
          : stored.kind === "campaign_merged"
          ? "merged"
          : "unmerged";
        bus.publish(campaignTopic(id, event), stored.payload);
      }
    }
  }

  /** The campaign's event as stored and published, or undefined for an identity event. */
  function campaignEvent(
    e: ClusteringEvent,
  ): { kind: DomainEventKind; payload: CampaignPayload | CampaignMergePayload } | undefined {
    switch (e.kind) {
      case "campaign_formed": {
        const c = campaignRecords.get(e.campaign);
        if (!c) return undefined;
        const payload: CampaignPayload = {
          id: c.id,
          first_seen: c.firstSeen,
          last_seen: c.lastSeen,
          identity_count: c.identityCount,
          address_count: c.addressCount,
          fingerprints: c.fingerprints,
          confidence: c.confidence,
          merged_into: c.mergedInto,
          merge_manual: false,
          manual: false,
          notes: "",
        };
        return { kind: "campaign_formed", payload };
      }
      case "campaign_merged":
      case "campaign_unmerged": {
        const merged = e.kind === "campaign_merged";
        const payload: CampaignMergePayload = {
          campaign_id: e.campaign,
          other_id: merged ? e.into : e.from,
          event: merged ? "merged" : "unmerged",
          manual: false,
          at,
        };
        return { kind: e.kind, payload };
      }
    }
    return undefined;
  }
}
