import assert from "node:assert/strict";
import { newCampaignId } from "../../../core/campaigns/new_campaign_id.ts";

Deno.test("newCampaignId() sorts in time order and differs within a millisecond", () => {
  const t = new Date("2026-12-01T12:00:00Z");
  const first = newCampaignId(t, () => 0);
  assert.match(first, /^c[0-9a-z]{17}$/);
  assert.notEqual(newCampaignId(t, () => 0.5), first);
  assert.ok(first < newCampaignId(new Date(t.getTime() + 1), () => 0.99));
  assert.ok(newCampaignId(new Date(0), () => 0.99) < first);
});
