import { z } from "zod";
import { campaignTopic } from "../../../core/bus/mod.ts";
import { campaignView, identityView } from "../../../core/campaigns/campaign_views.ts";
import { loadCampaign } from "../../../core/campaigns/load_campaign.ts";
import { loadIdentity } from "../../../core/campaigns/load_identity.ts";
import { mergeCampaignsByHand } from "../../../core/campaigns/merge_campaigns_by_hand.ts";
import { CAMPAIGN_ID_REGEXP, newCampaignId } from "../../../core/campaigns/new_campaign_id.ts";
import { CampaignChangeError } from "../../../core/db/mod.ts";
import type { AppDeps } from "../../app_deps.ts";
import { ApiRouter } from "../../api_router.ts";
import type { AuthGuard } from "../../api_router.ts";
import { HttpError } from "../../http_error.ts";

/** Longest notes text an admin may store. */
export const MAX_NOTES = 10_000;

/** Most identities one split moves. */
export const MAX_SPLIT_IDENTITIES = 500;

const Page = {
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
};
const CampaignId = z.string().regex(CAMPAIGN_ID_REGEXP, "expected a campaign id");

const IdentityQuery = z.object({ ...Page, campaign_id: CampaignId.optional() });
const CampaignQuery = z.object({
  ...Page,
  include_merged: z.enum(["true", "false"]).default("false"),
  min_identities: z.coerce.number().int().min(1).max(1_000_000).optional(),
});
const IdentityParams = z.object({ id: z.coerce.number().int().min(1) });
const CampaignParams = z.object({ id: CampaignId });
const Notes = z.object({ notes: z.string().max(MAX_NOTES) }).strict();
const Merge = z.object({ into: CampaignId }).strict();
const Split = z.object({
  identities: z.array(z.number().int().min(1)).min(1).max(MAX_SPLIT_IDENTITIES),
}).strict();

/**
 * `/api/v1/identities` and `/api/v1/campaigns`: who is behind the attacking
 * addresses and who works together, as the clusterer concluded. Viewers
 * read; admins add notes and merge or split campaigns by hand (recorded as
 * manual, kept across reclustering).
 */
export function campaignsRouter(deps: AppDeps, guard: AuthGuard): ApiRouter {
  const router = new ApiRouter("/api/v1", guard);
  const repo = deps.repos.campaigns;

  router.route({
    method: "get",
    path: "/identities",
    summary: "Identities (one actor behind one or more addresses), most recently seen first",
    description:
      "`campaign_id` lists the identities linked to that campaign itself (not through merges).",
    access: "viewer",
    query: IdentityQuery,
  }, async (c, { query }) => {
    const { items, total } = await repo.listIdentities({
      ...query,
      campaignIds: query.campaign_id === undefined ? undefined : [query.campaign_id],
    });
    return c.json({ items: items.map(identityView), total });
  });

  router.route({
    method: "get",
    path: "/identities/:id",
    summary: "One identity: its fingerprints, its addresses' attacker records and its campaign",
    access: "viewer",
    params: IdentityParams,
    responses: { 200: "The identity", 400: "Not an id", 404: "No such identity" },
  }, async (c, { params }) => {
    const detail = await loadIdentity(deps.repos, params.id);
    if (!detail) throw notFound("identity", params.id);
    return c.json(detail);
  });

  router.route({
    method: "patch",
    path: "/identities/:id",
    summary: "Sets an identity's notes",
    access: "admin",
    params: IdentityParams,
    body: Notes,
    responses: { 200: "The identity", 400: "Bad notes", 404: "No such identity" },
  }, async (c, { params, body }) => {
    if (!(await repo.setIdentityNotes(params.id, body.notes))) {
      throw notFound("identity", params.id);
    }
    return c.json(identityView((await repo.getIdentity(params.id))!));
  });

  router.route({
    method: "get",
    path: "/campaigns",
    summary: "Campaigns (identities working together), most recently active first",
    description: "Merged campaigns are left out unless `include_merged=true`; `min_identities` " +
      "hides the smaller ones (a lone scanner is a campaign of one).",
    access: "viewer",
    query: CampaignQuery,
  }, async (c, { query }) => {
    const { items, total } = await repo.listCampaigns({
      includeMerged: query.include_merged === "true",
      minIdentities: query.min_identities,
      limit: query.limit,
      offset: query.offset,
    });
    return c.json({ items: items.map(campaignView), total });
  });

  router.route({
    method: "get",
    path: "/campaigns/:id",
    summary:
      "One campaign: members, campaigns merged into it, the evidence joining them, shared fingerprints, manual actions",
    access: "viewer",
    params: CampaignParams,
    responses: { 200: "The campaign", 400: "Not a campaign id", 404: "No such campaign" },
  }, async (c, { params }) => {
    const detail = await loadCampaign(deps.repos, params.id);
    if (!detail) throw notFound("campaign", params.id);
    return c.json(detail);
  });

  router.route({
    method: "patch",
    path: "/campaigns/:id",
    summary: "Sets a campaign's notes (recorded with who wrote them)",
    access: "admin",
    params: CampaignParams,
    body: Notes,
    responses: { 200: "The campaign", 400: "Bad notes", 404: "No such campaign" },
  }, async (c, { params, body }) => {
    const actor = c.get("user").username;
    if (!(await repo.setCampaignNotes(params.id, body.notes, actor))) {
      throw notFound("campaign", params.id);
    }
    return c.json(campaignView((await repo.getCampaign(params.id))!));
  });

  router.route({
    method: "post",
    path: "/campaigns/:id/merge",
    summary: "Merges the campaign into `into` by hand; reclustering never undoes it",
    access: "admin",
    params: CampaignParams,
    body: Merge,
    responses: {
      200: "The merged campaign",
      400: "Bad body",
      404: "No such campaign (path.id or body.into)",
      409: "`into` is the campaign itself or already merged into it",
    },
  }, async (c, { params, body }) => {
    const merged = await manualChange(() =>
      mergeCampaignsByHand({ campaigns: repo, bus: deps.bus, now: deps.now }, params.id, {
        into: body.into,
        actor: c.get("user").username,
      })
    );
    return c.json(campaignView(merged));
  });

  router.route({
    method: "post",
    path: "/campaigns/:id/split",
    summary:
      "Moves identities of the campaign into a new manual campaign; reclustering leaves them there",
    access: "admin",
    params: CampaignParams,
    body: Split,
    responses: {
      201: "The new campaign",
      400: "Bad body",
      404: "No such campaign",
      409: "An identity is not a member of the campaign",
    },
  }, async (c, { params, body }) => {
    const identities = [...new Set(body.identities)];
    const created = await manualChange(() =>
      repo.splitCampaign(params.id, identities, {
        newId: newCampaignId(deps.now(), Math.random),
        actor: c.get("user").username,
      })
    );
    deps.bus.publish(campaignTopic(created.id, "formed"), {
      ...campaignView(created),
      // Wakes the clusterer, which recounts the campaign split from.
      manual: true,
    });
    return c.json(campaignView(created), 201);
  });
  return router;
}

/**
 * Runs an admin's change, turning a refusal into the HTTP error that names
 * the field (404 for an unknown campaign, 409 for a conflict).
 */
export async function manualChange<T>(change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (e) {
    if (!(e instanceof CampaignChangeError)) throw e;
    throw new HttpError(e.reason === "not_found" ? 404 : 409, e.reason, e.message, {
      field: e.field,
    });
  }
}

function notFound(what: "identity" | "campaign", id: number | string): HttpError {
  return new HttpError(404, "not_found", `No such ${what}: ${id}`, { field: "path.id" });
}
