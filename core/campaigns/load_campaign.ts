import type { CampaignPayload, IdentityPayload } from "../bus/mod.ts";
import type { CampaignsRepository } from "../db/mod.ts";
import { campaignView, identityView } from "./campaign_views.ts";

/** Most member identities a campaign detail lists. */
export const CAMPAIGN_MEMBER_LIMIT = 500;

/** One fingerprint value and the member identities that show it. */
export interface FingerprintGroup {
  kind: string;
  value: string;
  identities: number[];
}

/** A campaign with its members, what was merged into it, why, and what admins did. */
export type CampaignDetail = CampaignPayload & {
  /** Where its merges lead: itself unless merged. */
  effective_id: string;
  /** Identities linked to it or to a campaign merged into it, with their addresses. */
  identities: (IdentityPayload & { addresses: string[] })[];
  /** Campaigns merged directly into it. */
  merged: CampaignPayload[];
  /** The clustering's edges between its identities (per-signal scores). */
  evidence: unknown[];
  /** Values shared by two or more members first, then the rest. */
  fingerprint_groups: FingerprintGroup[];
  /** Manual merges, splits and notes, newest first. */
  actions: { at: string; actor: string; action: string; detail: Record<string, unknown> }[];
};

/**
 * `GET /api/v1/campaigns/{id}` and the campaign page; undefined when there
 * is no such campaign.
 *
 * @example
 * ```ts
 * import type { CampaignsRepository } from "../db/mod.ts";
 * declare const campaigns: CampaignsRepository;
 * const detail = await loadCampaign({ campaigns }, "c1");
 * ```
 */
export async function loadCampaign(
  repos: { campaigns: CampaignsRepository },
  id: string,
): Promise<CampaignDetail | undefined> {
  const repo = repos.campaigns;
  const row = await repo.getCampaign(id);
  if (!row) return undefined;
  const [family, merged, actions, effective] = await Promise.all([
    repo.campaignsMergedTo(id),
    repo.mergedInto(id),
    repo.campaignActions(id),
    repo.effectiveCampaignId(id),
  ]);
  const { items } = await repo.listIdentities({
    campaignIds: family,
    limit: CAMPAIGN_MEMBER_LIMIT,
    offset: 0,
  });
  const members = await repo.identityMembers(items.map((i) => i.id));
  const identities = items.map((i) => ({
    ...identityView(i),
    addresses: (members.get(i.id) ?? []).map((m) => m.ip),
  }));
  return {
    ...campaignView(row),
    effective_id: effective,
    identities,
    merged: merged.map(campaignView),
    evidence: row.evidence,
    fingerprint_groups: fingerprintGroups(identities),
    actions: actions.map((a) => ({
      at: a.at,
      actor: a.actor,
      action: a.action,
      detail: a.detail,
    })),
  };
}

/**
 * Groups identities by the fingerprint values they show: values shared
 * by more identities first, then by kind and value. Pure.
 *
 * @example
 * ```ts
 * fingerprintGroups([
 *   { id: 1, fingerprints: { c2: ["x:443"] } },
 *   { id: 2, fingerprints: { c2: ["x:443"], ja3: ["j2"] } },
 * ]);
 * // [{ kind: "c2", value: "x:443", identities: [1, 2] }, { kind: "ja3", value: "j2", identities: [2] }]
 * ```
 */
export function fingerprintGroups(
  identities: readonly { id: number; fingerprints: Record<string, string[]> }[],
): FingerprintGroup[] {
  const groups = new Map<string, FingerprintGroup>();
  for (const identity of identities) {
    for (const [kind, values] of Object.entries(identity.fingerprints)) {
      for (const value of values) {
        const key = `${kind}\u0000${value}`;
        const group = groups.get(key) ?? { kind, value, identities: [] };
        group.identities.push(identity.id);
        groups.set(key, group);
      }
    }
  }
  return [...groups.values()].sort((a, b) =>
    b.identities.length - a.identities.length || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) ||
    (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)
  );
}
