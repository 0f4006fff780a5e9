/** Deepest `mergedInto` chain followed when resolving a campaign's effective id. */
export const MAX_MERGE_DEPTH = 8;

/** A stored campaign: its id and, while merged, the campaign it was merged into. */
export interface CampaignRecord {
  id: string;
  mergedInto: string | null;
}

/** What the previous run left: campaigns and each identity's own campaign link. */
export interface CampaignState {
  campaigns: readonly CampaignRecord[];
  /** Identity key -> the campaign it was assigned to (kept across soft merges). */
  links: ReadonlyMap<string, string>;
}

/** Something {@linkcode assignCampaignIds} changed, in the order it happened. */
export type CampaignEvent =
  | { kind: "formed"; campaign: string }
  | { kind: "merged"; campaign: string; into: string }
  | { kind: "unmerged"; campaign: string; from: string }
  | { kind: "identity_assigned"; identity: string; campaign: string; previous: string | null };

/** Options for {@linkcode assignCampaignIds}. */
export interface AssignCampaignIdsOptions {
  /** Makes a fresh campaign id (called once per new campaign, in component order). */
  newId: () => string;
}

/** The new state, each component's effective campaign id, and what changed. */
export interface CampaignAssignment {
  state: CampaignState;
  /** Effective (unmerged root) campaign id per input component, same order. */
  componentIds: readonly string[];
  events: readonly CampaignEvent[];
}

/**
 * Gives this run's components (arrays of identity keys) campaign ids that
 * survive across runs: merges are soft and revocable.
 */
export function assignCampaignIds(
  previous: CampaignState,
  components: readonly (readonly string[])[],
  options: AssignCampaignIdsOptions,
): CampaignAssignment {
  throw new Error(
    `TODO(#18): not implemented yet (${previous.campaigns.length}, ${components.length}, ${typeof options
      .newId})`,
  );
}
