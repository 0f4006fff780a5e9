import { campaignFeatures } from "./campaign_features.ts";
import { clusterCampaigns } from "./cluster_campaigns.ts";
import { clusterIdentities } from "./cluster_identities.ts";
import type { Observation } from "./observation.ts";

/** Which identity and campaign one input observation landed in (input order). */
export interface ObservationAssignment {
  ip: string;
  /** Key of the observation's identity ({@linkcode IdentityCluster.key}). */
  identity: string;
  /** Key of the identity's campaign ({@linkcode CampaignComponent.key}). */
  campaign: string;
}

/** Why two addresses are one identity: the JA3 and HASSH values they share. */
export interface IdentityLink {
  a: string;
  b: string;
  ja3: string;
  hassh: string;
}

/** One actor behind one or more addresses. */
export interface IdentityCluster {
  /** Stable key: the smallest member address (string order). */
  key: string;
  /** Member addresses, sorted. */
  ips: readonly string[];
  /** Indexes of the input observations that belong to it, ascending. */
  observations: readonly number[];
  /** A spanning tree of the links that joined the addresses (empty for one address). */
  links: readonly IdentityLink[];
}

/** Per-signal scores of one campaign edge, each in [0, 1], and their weighted sum. */
export interface EdgeScore {
  handoff: number;
  infra: number;
  temporal: number;
  cohort: number;
  keystroke: number;
  /** 1.0·handoff + 1.0·infra + 0.4·temporal + 0.1·cohort + 0.6·keystroke. */
  combined: number;
}

/** An edge between two identities (by key) that reached the threshold. */
export interface CampaignEdge extends EdgeScore {
  a: string;
  b: string;
}

/** Identities working together: one connected component of campaign edges. */
export interface CampaignComponent {
  /** Stable key: the smallest member identity key. */
  key: string;
  /** Member identity keys, sorted. */
  identities: readonly string[];
  /**
   * The strongest edges that hold the component together (a maximum
   * spanning tree: members − 1 edges), strongest first; empty for one identity.
   */
  edges: readonly CampaignEdge[];
  /**
   * How sure the grouping is, in [0, 1]: the weakest edge of `edges` mapped
   * so that an edge at the threshold (1.0) is 0.5 and one at 2.0 or more is 1;
   * 1 for a single identity (nothing was inferred).
   */
  confidence: number;
}

/** Everything {@linkcode clusterObservations} found, in a deterministic order. */
export interface ClusterResult {
  /** One entry per input observation, in input order. */
  assignments: readonly ObservationAssignment[];
  /** Identities sorted by key. */
  identities: readonly IdentityCluster[];
  /** Campaigns sorted by key; every identity is in exactly one (singletons included). */
  campaigns: readonly CampaignComponent[];
}

/**
 * Clusters observations into identities (addresses sharing a JA3 and a
 * HASSH) and identities into campaigns (connected components of edges
 * scored on handoff, shared infrastructure, temporal overlap, cohort and
 * keystroke dynamics). Pure and deterministic: the partition does not
 * depend on input order, and only differences between times count.
 * Never an all-pairs scan: candidates come from shared feature values.
 *
 * @param observations what is known per address (the same address may appear more than once)
 * @returns identities and campaigns sorted by key, and each observation's assignment in input order
 * @example
 * ```ts
 * const result = clusterObservations([
 *   { ip: "192.0.2.1", ja3: ["j1"], hassh: ["h1"] },
 *   { ip: "198.51.100.7", ja3: ["j1"], hassh: ["h1", "h2"] },
 * ]);
 * result.assignments[1].identity; // "192.0.2.1"
 * ```
 */
export function clusterObservations(observations: readonly Observation[]): ClusterResult {
  const { identities, identityOf } = clusterIdentities(observations);
  const features = identities.map((identity) =>
    campaignFeatures(identity.observations.map((i) => observations[i]))
  );
  const keys = identities.map((identity) => identity.key);
  const { campaigns, campaignOf } = clusterCampaigns(keys, features);
  const assignments = observations.map((o, i) => {
    const identity = identityOf[i];
    return { ip: o.ip, identity: keys[identity], campaign: campaigns[campaignOf[identity]].key };
  });
  return { assignments, identities, campaigns };
}
