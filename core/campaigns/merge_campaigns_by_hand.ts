import { campaignTopic } from "../bus/mod.ts";
import type { Bus } from "../bus/mod.ts";
import type { CampaignRow, CampaignsRepository } from "../db/mod.ts";

/**
 * An admin merges campaign `source` into `into`: recorded as manual (see
 * `CampaignsRepository.mergeCampaigns`), then announced as
 * `campaign.<source>.merged` with `manual: true`, which also wakes the
 * clusterer to recount the winner. The API and the dashboard's form both
 * come here.
 *
 * @throws {CampaignChangeError} when either campaign is unknown or the merge would loop
 * @example
 * ```ts
 * import type { Bus } from "../bus/mod.ts";
 * import type { CampaignsRepository } from "../db/mod.ts";
 * declare const campaigns: CampaignsRepository;
 * declare const bus: Bus;
 * await mergeCampaignsByHand({ campaigns, bus, now: () => new Date() }, "c2", {
 *   into: "c1",
 *   actor: "admin",
 * });
 * ```
 */
export async function mergeCampaignsByHand(
  deps: { campaigns: CampaignsRepository; bus: Bus; now: () => Date },
  source: string,
  options: { into: string; actor: string },
): Promise<CampaignRow> {
  await deps.campaigns.mergeCampaigns(source, options.into, options.actor);
  deps.bus.publish(campaignTopic(source, "merged"), {
    campaign_id: source,
    other_id: options.into,
    event: "merged",
    manual: true,
    at: deps.now().toISOString(),
  });
  return (await deps.campaigns.getCampaign(source))!;
}
