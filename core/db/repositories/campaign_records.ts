/** Distinct values per fingerprint kind (`ja3`, `hassh`, `tools`, `asns`, ...). */
export type FingerprintSets = Record<string, string[]>;

/**
 * Most merge links followed to find a campaign's winner (a longer chain
 * stops there); the same depth as core/campaigns' `MAX_MERGE_DEPTH`.
 */
export const MERGE_CHAIN_LIMIT = 8;

/** One identity as a clustering run concluded it (what {@linkcode CampaignsRepository.saveClustering} writes). */
export interface ClusteredIdentity {
  key: string;
  /** The key its stored row had, when the key changed (the row, its id and notes are kept). */
  previousKey?: string;
  firstSeen: string;
  lastSeen: string;
  /** Its attacker records. */
  members: { attackerId: number; ip: string }[];
  fingerprints: FingerprintSets;
  /** The campaign it is assigned (its original link, not followed through merges). */
  campaignId: string;
  /** Kept pinned (an admin placed it; the run kept it where it was). */
  pinned: boolean;
}

/** One campaign as a clustering run concluded it. */
export interface ClusteredCampaign {
  id: string;
  firstSeen: string;
  lastSeen: string;
  identityCount: number;
  addressCount: number;
  fingerprints: FingerprintSets;
  /** The edges that hold it together, as the clustering explains them. */
  evidence: unknown[];
  confidence: number;
  /** The winner it is merged into by the clustering (ignored where an admin merged it). */
  mergedInto: string | null;
}

/** What a clustering run starts from: the stored assignments. */
export interface StoredClustering {
  identities: {
    id: number;
    key: string;
    campaignId: string | null;
    pinned: boolean;
    attackerIds: number[];
  }[];
  campaigns: {
    id: string;
    mergedInto: string | null;
    mergeManual: boolean;
    manual: boolean;
  }[];
}

/** A stored identity, JSON decoded. */
export interface IdentityRow {
  id: number;
  key: string;
  firstSeen: string;
  lastSeen: string;
  addressCount: number;
  fingerprints: FingerprintSets;
  campaignId: string | null;
  pinned: boolean;
  notes: string;
  createdAt: string;
  updatedAt: string;
}

/** A stored campaign, JSON decoded. */
export interface CampaignRow {
  id: string;
  firstSeen: string;
  lastSeen: string;
  identityCount: number;
  addressCount: number;
  fingerprints: FingerprintSets;
  evidence: unknown[];
  confidence: number;
  mergedInto: string | null;
  mergeManual: boolean;
  manual: boolean;
  notes: string;
  createdAt: string;
  updatedAt: string;
}

/** One attacker record of an identity. */
export interface IdentityMember {
  attackerId: number;
  ip: string;
}

/** An admin's recorded merge, split or note. */
export interface CampaignAction {
  id: number;
  at: string;
  actor: string;
  action: "merge" | "split" | "notes";
  campaignId: string;
  detail: Record<string, unknown>;
}

/**
 * Why a manual change was refused: `field` names the input at fault
 * (`path.id`, `body.into`, `body.identities`).
 */
export class CampaignChangeError extends Error {
  readonly reason: "not_found" | "conflict";
  readonly field: string;
  constructor(reason: "not_found" | "conflict", field: string, message: string) {
    super(message);
    this.name = "CampaignChangeError";
    this.reason = reason;
    this.field = field;
  }
}

/** One hostile service event as a clustering run reads it. */
export interface ActivityRow {
  id: number;
  ip: string;
  time: string;
  /** The username and secret a credential event offered, else null. */
  credential: [string, string] | null;
}

/** Filters for {@linkcode CampaignsRepository.listCampaigns}. */
export interface CampaignFilter {
  /** Also list campaigns merged into another. */
  includeMerged?: boolean;
  /** Only campaigns with at least this many identities. */
  minIdentities?: number;
  limit: number;
  offset: number;
}

/** Filters for {@linkcode CampaignsRepository.listIdentities}. */
export interface IdentityFilter {
  /** Only identities whose original campaign is one of these. */
  campaignIds?: string[];
  limit: number;
  offset: number;
}

/**
 * The union of fingerprint sets, each kind's values sorted.
 *
 * @example
 * ```ts
 * unionSets([{ ja3: ["b"] }, { ja3: ["a", "b"], tools: ["nmap"] }]);
 * // { ja3: ["a", "b"], tools: ["nmap"] }
 * ```
 */
export function unionSets(sets: readonly FingerprintSets[]): FingerprintSets {
  const out: Record<string, Set<string>> = {};
  for (const set of sets) {
    for (const [kind, values] of Object.entries(set)) {
      const into = out[kind] ??= new Set();
      for (const v of values) into.add(v);
    }
  }
  return Object.fromEntries(
    Object.entries(out).sort(([a], [b]) => a < b ? -1 : 1).map(([k, v]) => [k, [...v].sort()]),
  );
}
