/**
 * Identities and campaigns: which addresses are one actor (shared JA3 and
 * HASSH), which actors work together (scored edges, connected components),
 * and campaign ids that survive across runs with revocable merges. Pure
 * logic: `decnet cluster` and the clusterer worker both call
 * {@linkcode clusterObservations}.
 *
 * @module
 */
export type { Observation, ObservationPhase } from "./observation.ts";
export { clusterObservations } from "./cluster_observations.ts";
export type {
  CampaignComponent,
  CampaignEdge,
  ClusterResult,
  EdgeScore,
  IdentityCluster,
  IdentityLink,
  ObservationAssignment,
} from "./cluster_observations.ts";
export { parseObservation } from "./parse_observation.ts";
export { parseObservationLines } from "./parse_observation_lines.ts";
export { assignCampaignIds } from "./assign_campaign_ids.ts";
export type {
  AssignCampaignIdsOptions,
  CampaignAssignment,
  CampaignEvent,
  CampaignRecord,
  CampaignState,
} from "./assign_campaign_ids.ts";
export { MAX_MERGE_DEPTH, resolveCampaignId } from "./resolve_campaign_id.ts";
export type { ResolveCampaignIdOptions } from "./resolve_campaign_id.ts";
export { EDGE_THRESHOLD, EDGE_WEIGHTS } from "./score_edge.ts";
