import type { CampaignPayload, IdentityPayload } from "../bus/mod.ts";
import type { CampaignRow, IdentityRow } from "../db/mod.ts";

/**
 * A stored identity as the API lists it and the bus carries it.
 *
 * @example
 * ```ts
 * import type { IdentityRow } from "../db/mod.ts";
 * declare const row: IdentityRow;
 * identityView(row).address_count === row.addressCount; // true
 * ```
 */
export function identityView(row: IdentityRow): IdentityPayload {
  return {
    id: row.id,
    key: row.key,
    first_seen: row.firstSeen,
    last_seen: row.lastSeen,
    address_count: row.addressCount,
    fingerprints: row.fingerprints,
    campaign_id: row.campaignId,
    pinned: row.pinned,
    notes: row.notes,
  };
}

/** A stored campaign as the API lists it and the bus carries it. */
export function campaignView(row: CampaignRow): CampaignPayload {
  return {
    id: row.id,
    first_seen: row.firstSeen,
    last_seen: row.lastSeen,
    identity_count: row.identityCount,
    address_count: row.addressCount,
    fingerprints: row.fingerprints,
    confidence: row.confidence,
    merged_into: row.mergedInto,
    merge_manual: row.mergeManual,
    manual: row.manual,
    notes: row.notes,
  };
}
