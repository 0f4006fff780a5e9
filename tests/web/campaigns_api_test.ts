import assert from "node:assert/strict";
import type { BusMessage } from "../../core/bus/mod.ts";
import { makeSensorEvent } from "../core/db/attackers_contract.ts";
import { makeClusteredCampaign, makeClusteredIdentity } from "../core/db/campaigns_contract.ts";
import type { TestApp } from "./test_app.ts";
import { makeTestApp } from "./test_app.ts";
import { waitUntil } from "../infra/wait_until.ts";

/** Attackers 192.0.2.1 and .5 (one identity) and .2 in campaign c1; .3 alone in c2. */
async function seed(t: TestApp): Promise<Map<string, number>> {
  await t.repos.attackers.storeSensorBatch({
    container: "c1",
    decky: "web-01",
    from: { logTime: "", linesAtTime: 0 },
    to: { logTime: "2026-11-18T13:00:09Z", linesAtTime: 1 },
    badLines: 0,
    isBenign: () => false,
    events: ["192.0.2.1", "192.0.2.5", "192.0.2.2", "192.0.2.3"].map((ip) =>
      makeSensorEvent({ src_ip: ip, ja3: "j1", hassh: "h1" })
    ),
  });
  const attackers = (await t.repos.attackers.listAttackers({ limit: 10, offset: 0 })).items;
  const member = (ip: string) => ({ attackerId: attackers.find((a) => a.ip === ip)!.id, ip });
  return await t.repos.campaigns.saveClustering({
    identities: [
      makeClusteredIdentity({ members: [member("192.0.2.1"), member("192.0.2.5")] }),
      makeClusteredIdentity({ key: "192.0.2.2", members: [member("192.0.2.2")] }),
      makeClusteredIdentity({ key: "192.0.2.3", members: [member("192.0.2.3")], campaignId: "c2" }),
    ],
    campaigns: [
      makeClusteredCampaign({
        identityCount: 2,
        addressCount: 3,
        evidence: [{ a: "192.0.2.1", b: "192.0.2.2", infra: 1, combined: 1 }],
        confidence: 0.5,
      }),
      makeClusteredCampaign({ id: "c2", lastSeen: "2026-12-01T09:00:00.000Z" }),
    ],
  });
}

Deno.test("GET /api/v1/identities and /identities/:id show identities to viewers", async () => {
  await using t = await makeTestApp();
  const ids = await seed(t);
  const token = await t.login("vera", "viewer");
  const list = await (await t.request("/api/v1/identities?limit=2", { token })).json();
  assert.equal(list.total, 3);
  assert.equal(list.items.length, 2);
  assert.deepEqual(Object.keys(list.items[0]).sort(), [
    "address_count",
    "campaign_id",
    "fingerprints",
    "first_seen",
    "id",
    "key",
    "last_seen",
    "notes",
    "pinned",
  ]);
  const inC2 = await (await t.request("/api/v1/identities?campaign_id=c2", { token })).json();
  assert.deepEqual(inC2.items.map((i: { key: string }) => i.key), ["192.0.2.3"]);

  const detail = await (await t.request(`/api/v1/identities/${ids.get("192.0.2.1")}`, { token }))
    .json();
  assert.equal(detail.address_count, 2);
  assert.equal(detail.effective_campaign_id, "c1");
  assert.deepEqual(detail.attackers.map((a: { ip: string }) => a.ip).sort(), [
    "192.0.2.1",
    "192.0.2.5",
  ]);
  assert.equal((await t.request("/api/v1/identities/999", { token })).status, 404);
  const bad = await t.request("/api/v1/identities/x", { token });
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).error.field, "path.id");
  const badQuery = await t.request("/api/v1/identities?campaign_id=a%20b", { token });
  assert.equal((await badQuery.json()).error.field, "query.campaign_id");
  assert.equal((await t.request("/api/v1/identities")).status, 401);
});

Deno.test("GET /api/v1/campaigns and /campaigns/:id list campaigns with members and evidence", async () => {
  await using t = await makeTestApp();
  await seed(t);
  const token = await t.login("vera", "viewer");
  const list = await (await t.request("/api/v1/campaigns", { token })).json();
  assert.deepEqual(list.items.map((c: { id: string }) => c.id), ["c1", "c2"]);
  assert.equal(list.total, 2);
  const big = await (await t.request("/api/v1/campaigns?min_identities=2", { token })).json();
  assert.deepEqual(big.items.map((c: { id: string }) => c.id), ["c1"]);
  const bad = await t.request("/api/v1/campaigns?min_identities=0", { token });
  assert.equal((await bad.json()).error.field, "query.min_identities");

  const c1 = await (await t.request("/api/v1/campaigns/c1", { token })).json();
  assert.equal(c1.identity_count, 2);
  assert.equal(c1.confidence, 0.5);
  assert.equal(c1.effective_id, "c1");
  assert.deepEqual(c1.identities.map((i: { addresses: string[] }) => i.addresses), [
    ["192.0.2.2"],
    ["192.0.2.1", "192.0.2.5"],
  ]);
  assert.equal(c1.evidence.length, 1);
  assert.deepEqual(c1.fingerprint_groups[0], {
    kind: "hassh",
    value: "h1",
    identities: c1.identities.map((i: { id: number }) => i.id),
  });
  assert.equal((await t.request("/api/v1/campaigns/c9", { token })).status, 404);
});

Deno.test("admins merge, split and annotate campaigns by hand; viewers may not", async () => {
  await using t = await makeTestApp();
  const ids = await seed(t);
  const admin = await t.login("root", "admin");
  const viewer = await t.login("vera", "viewer");
  const published: BusMessage[] = [];
  t.deps.bus.subscribe("campaign.>", (m) => void published.push(m));

  const forbidden = await t.request("/api/v1/campaigns/c2/merge", {
    method: "POST",
    token: viewer,
    json: { into: "c1" },
  });
  assert.equal(forbidden.status, 403);
  await forbidden.body?.cancel();

  const badBody = await t.request("/api/v1/campaigns/c2/merge", {
    method: "POST",
    token: admin,
    json: { into: "" },
  });
  assert.equal(badBody.status, 400);
  assert.equal((await badBody.json()).error.field, "body.into");
  const unknown = await t.request("/api/v1/campaigns/c2/merge", {
    method: "POST",
    token: admin,
    json: { into: "c9" },
  });
  assert.deepEqual([unknown.status, (await unknown.json()).error.field], [404, "body.into"]);

  const merged = await t.request("/api/v1/campaigns/c2/merge", {
    method: "POST",
    token: admin,
    json: { into: "c1" },
  });
  assert.equal(merged.status, 200);
  assert.deepEqual(
    (({ merged_into, merge_manual }) => ({ merged_into, merge_manual }))(await merged.json()),
    { merged_into: "c1", merge_manual: true },
  );
  await waitUntil(() => published.length === 1, { what: "the manual merge event" });
  assert.deepEqual(
    [published[0].topic, published[0].payload.manual, published[0].payload.other_id],
    ["campaign.c2.merged", true, "c1"],
  );
  const cycle = await t.request("/api/v1/campaigns/c1/merge", {
    method: "POST",
    token: admin,
    json: { into: "c2" },
  });
  assert.deepEqual([cycle.status, (await cycle.json()).error.field], [409, "body.into"]);
  const c1 = await (await t.request("/api/v1/campaigns/c1", { token: viewer })).json();
  assert.deepEqual(c1.merged.map((c: { id: string }) => c.id), ["c2"]);
  assert.equal(c1.identities.length, 3, "members through the merge");
  const c2 = await (await t.request("/api/v1/campaigns/c2", { token: viewer })).json();
  assert.equal(c2.effective_id, "c1");

  // Split the loner (a member through the merge) off again, into a manual campaign.
  const loner = ids.get("192.0.2.3")!;
  const split = await t.request("/api/v1/campaigns/c1/split", {
    method: "POST",
    token: admin,
    json: { identities: [loner] },
  });
  assert.equal(split.status, 201);
  const created = await split.json();
  assert.equal(created.manual, true);
  assert.equal(created.identity_count, 1);
  const moved = await (await t.request(`/api/v1/identities/${loner}`, { token: viewer })).json();
  assert.deepEqual([moved.campaign_id, moved.pinned], [created.id, true]);
  const notMember = await t.request("/api/v1/campaigns/c1/split", {
    method: "POST",
    token: admin,
    json: { identities: [loner] },
  });
  assert.deepEqual([notMember.status, (await notMember.json()).error.field], [
    409,
    "body.identities",
  ]);
  const empty = await t.request("/api/v1/campaigns/c1/split", {
    method: "POST",
    token: admin,
    json: { identities: [] },
  });
  assert.equal((await empty.json()).error.field, "body.identities");

  const noted = await t.request("/api/v1/campaigns/c1", {
    method: "PATCH",
    token: admin,
    json: { notes: "Tuesday crew" },
  });
  assert.equal((await noted.json()).notes, "Tuesday crew");
  const tooLong = await t.request("/api/v1/campaigns/c1", {
    method: "PATCH",
    token: admin,
    json: { notes: "x".repeat(10_001) },
  });
  assert.equal((await tooLong.json()).error.field, "body.notes");
  const extra = await t.request("/api/v1/campaigns/c1", {
    method: "PATCH",
    token: admin,
    json: { notes: "x", merged_into: "c2" },
  });
  assert.equal(extra.status, 400);
  await extra.body?.cancel();
  const idNote = await t.request(`/api/v1/identities/${loner}`, {
    method: "PATCH",
    token: admin,
    json: { notes: "VPN hopper" },
  });
  assert.equal((await idNote.json()).notes, "VPN hopper");
  const viewerNote = await t.request(`/api/v1/identities/${loner}`, {
    method: "PATCH",
    token: viewer,
    json: { notes: "x" },
  });
  assert.equal(viewerNote.status, 403);
  await viewerNote.body?.cancel();

  const history = (await (await t.request("/api/v1/campaigns/c1", { token: viewer })).json())
    .actions;
  assert.deepEqual(history.map((a: { action: string; actor: string }) => [a.action, a.actor]), [
    ["notes", "root"],
    ["split", "root"],
  ]);
});

Deno.test("GET /api/v1/openapi.json documents the identity and campaign routes", async () => {
  await using t = await makeTestApp();
  const doc = await (await t.request("/api/v1/openapi.json")).json();
  assert.equal(doc.paths["/api/v1/campaigns/{id}"].patch["x-role"], "admin");
  assert.ok(doc.paths["/api/v1/campaigns/{id}/split"].post);
  assert.ok(doc.paths["/api/v1/identities/{id}"].get);
  assert.ok(
    doc.paths["/api/v1/identities"].get.parameters.some((p: { name: string }) =>
      p.name === "limit"
    ),
  );
});
