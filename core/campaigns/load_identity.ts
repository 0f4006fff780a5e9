import { attackerView } from "../attackers/attacker_views.ts";
import type { AttackerPayload, IdentityPayload } from "../bus/mod.ts";
import type { CampaignsRepository } from "../db/mod.ts";
import { identityView } from "./campaign_views.ts";

/** An identity with its addresses' attacker records and the campaign its link leads to. */
export type IdentityDetail = IdentityPayload & {
  /** Where `campaign_id` leads through merges (null when it has none). */
  effective_campaign_id: string | null;
  /** Its addresses' attacker records (the observations it was built from). */
  attackers: AttackerPayload[];
};

/**
 * `GET /api/v1/identities/{id}` and the identity page; undefined when
 * there is no such identity.
 *
 * @example
 * ```ts
 * import type { CampaignsRepository } from "../db/mod.ts";
 * declare const campaigns: CampaignsRepository;
 * const detail = await loadIdentity({ campaigns }, 3);
 * ```
 */
export async function loadIdentity(
  repos: { campaigns: CampaignsRepository },
  id: number,
): Promise<IdentityDetail | undefined> {
  const row = await repos.campaigns.getIdentity(id);
  if (!row) return undefined;
  const members = (await repos.campaigns.identityMembers([id])).get(id) ?? [];
  const attackers = await repos.campaigns.attackersByIds(members.map((m) => m.attackerId));
  return {
    ...identityView(row),
    effective_campaign_id: row.campaignId === null
      ? null
      : await repos.campaigns.effectiveCampaignId(row.campaignId),
    attackers: attackers.map(attackerView),
  };
}
