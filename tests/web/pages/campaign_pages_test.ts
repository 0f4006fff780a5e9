import assert from "node:assert/strict";
import { makeSensorEvent } from "../../core/db/attackers_contract.ts";
import { makeClusteredCampaign, makeClusteredIdentity } from "../../core/db/campaigns_contract.ts";
import { makeTestApp } from "../test_app.ts";
import type { TestApp } from "../test_app.ts";
import { ATTACKER_MARKUP, pageSession, readPage } from "./_page_session.ts";

/** .1 and .5 are one identity in c1 with .2; .3 alone in c2; c3 merged into c1. */
async function seed(t: TestApp): Promise<Map<string, number>> {
  await t.repos.attackers.storeSensorBatch({
    container: "c1",
    decky: "web-01",
    from: { logTime: "", linesAtTime: 0 },
    to: { logTime: "2026-11-18T13:00:09Z", linesAtTime: 1 },
    badLines: 0,
    isBenign: () => false,
    events: [
      ...["192.0.2.1", "192.0.2.5", "192.0.2.2", "192.0.2.3"].map((ip) =>
        makeSensorEvent({ src_ip: ip, ja3: ATTACKER_MARKUP, hassh: "h1" })
      ),
      makeSensorEvent({
        src_ip: "192.0.2.1",
        kind: "command",
        command: "uname -a",
        ukc_phases: ["discovery"],
      }),
    ],
  });
  const attackers = (await t.repos.attackers.listAttackers({ limit: 10, offset: 0 })).items;
  const member = (ip: string) => ({ attackerId: attackers.find((a) => a.ip === ip)!.id, ip });
  const fingerprints = { ja3: [ATTACKER_MARKUP], c2: ["198.51.100.9:443"] };
  const ids = await t.repos.campaigns.saveClustering({
    identities: [
      makeClusteredIdentity({
        members: [member("192.0.2.1"), member("192.0.2.5")],
        fingerprints,
      }),
      makeClusteredIdentity({ key: "192.0.2.2", members: [member("192.0.2.2")], fingerprints }),
      makeClusteredIdentity({ key: "192.0.2.3", members: [member("192.0.2.3")], campaignId: "c2" }),
    ],
    campaigns: [
      makeClusteredCampaign({
        identityCount: 2,
        addressCount: 3,
        evidence: [{
          a: "192.0.2.1",
          b: "192.0.2.2",
          handoff: 0,
          infra: 1,
          temporal: 0.25,
          cohort: 0,
          keystroke: 0,
          combined: 1.1,
        }],
        confidence: 0.55,
      }),
      makeClusteredCampaign({ id: "c2" }),
    ],
  });
  await t.repos.campaigns.setCampaignNotes("c2", ATTACKER_MARKUP, "ada");
  return ids;
}

Deno.test("identity and campaign pages list, link and escape what attackers sent", async () => {
  await using t = await makeTestApp();
  const ids = await seed(t);
  const cookie = await pageSession(t, { username: "vera", role: "viewer" });
  const page = (path: string) => readPage(t, path, cookie);
  const actor = ids.get("192.0.2.1")!;

  const identities = await page("/identities");
  assert.match(identities, /href="\/identities"[^>]*aria-current="page"/);
  assert.match(identities, /href="\/campaigns"/);
  assert.match(identities, new RegExp(`href="/identities/${actor}"`));
  assert.match(identities, /href="\/campaigns\/c1"/);

  const identity = await page(`/identities/${actor}`);
  assert.match(identity, /data-testid="address-count">2</);
  assert.match(identity, /&lt;img src=x onerror=/);
  const attacker = (await t.repos.attackers.listAttackers({ q: "192.0.2.5", limit: 1, offset: 0 }))
    .items[0];
  assert.match(identity, new RegExp(`href="/attackers/${attacker.id}"`));
  assert.match(identity, /discovery/, "the kill chain per decky");
  assert.match(identity, /href="\/campaigns\/c1"/);
  // And back: the attacker page names its identity.
  const attackerPage = await page(`/attackers/${attacker.id}`);
  assert.match(attackerPage, new RegExp(`href="/identities/${actor}"`));

  // Lone identities are campaigns of one: listed only when asked for.
  const campaigns = await page("/campaigns");
  assert.match(campaigns, /href="\/campaigns\/c1"/);
  assert.doesNotMatch(campaigns, /href="\/campaigns\/c2"/);
  assert.match(await page("/campaigns?singles=1"), /href="\/campaigns\/c2"/);

  const c1 = await page("/campaigns/c1");
  assert.match(c1, /data-island="LiveCampaign"/);
  assert.match(c1, /data-testid="identity-count">2</);
  assert.match(c1, new RegExp(`href="/identities/${ids.get("192.0.2.2")}"`));
  assert.match(c1, /data-testid="fingerprint-groups"/);
  assert.match(c1, /198\.51\.100\.9:443/);
  assert.match(c1, /data-testid="evidence"/);
  assert.match(c1, /<td>1\.10<\/td>/);
  assert.doesNotMatch(c1, /data-testid="merged-chip"/);
  assert.match(await page("/campaigns/c2"), /&lt;img src=x/, "notes are escaped");

  for (const missing of ["/identities/999", "/identities/x", "/campaigns/c9", "/campaigns/a%20b"]) {
    const res = await t.request(missing, { headers: { cookie } });
    assert.equal(res.status, 404, missing);
    await res.body?.cancel();
  }
  const anonymous = await t.request("/campaigns");
  assert.equal(anonymous.status, 303);
});

Deno.test("a merged campaign's page shows the winner chip; the winner lists what merged in", async () => {
  await using t = await makeTestApp();
  await seed(t);
  await t.repos.campaigns.mergeCampaigns("c2", "c1", "ada");
  const cookie = await pageSession(t, { username: "vera", role: "viewer" });
  const c2 = await (await t.request("/campaigns/c2", { headers: { cookie } })).text();
  assert.match(c2, /data-testid="merged-chip"/);
  assert.match(c2, /Merged into\s*<a class="badge warn" href="\/campaigns\/c1"/);
  assert.match(c2, /by an admin/);
  assert.match(c2, /data-testid="actions"/, "the manual merge is recorded");
  const c1 = await (await t.request("/campaigns/c1", { headers: { cookie } })).text();
  assert.match(c1, /data-testid="merged"/);
  assert.match(c1, /data-testid="identity-count">3</);
  const list = await (await t.request("/campaigns?merged=1&singles=1", { headers: { cookie } }))
    .text();
  assert.match(list, /merged into c1/);
});

Deno.test("admins annotate and merge campaigns from the campaign page's forms", async () => {
  await using t = await makeTestApp();
  await seed(t);
  const admin = await pageSession(t, { username: "ada", role: "admin" });
  const viewer = await pageSession(t, { username: "vera", role: "viewer" });
  const post = (path: string, cookie: string, form: Record<string, string>, origin?: string) =>
    t.request(path, {
      method: "POST",
      headers: {
        cookie,
        "content-type": "application/x-www-form-urlencoded",
        ...(origin ? { origin } : {}),
      },
      body: new URLSearchParams(form).toString(),
    });
  assert.match(
    await (await t.request("/campaigns/c1", { headers: { cookie: admin } })).text(),
    /action="\/campaigns\/c1\/notes"/,
  );
  assert.doesNotMatch(
    await (await t.request("/campaigns/c1", { headers: { cookie: viewer } })).text(),
    /action="\/campaigns\/c1\/notes"/,
  );

  const saved = await post("/campaigns/c1/notes", admin, { notes: "Tuesday crew" });
  assert.equal(saved.status, 303);
  assert.equal(saved.headers.get("location"), "/campaigns/c1");
  assert.equal((await t.repos.campaigns.getCampaign("c1"))?.notes, "Tuesday crew");

  const refused = [
    [await post("/campaigns/c1/notes", viewer, { notes: "x" }), 403],
    [await post("/campaigns/c1/notes", admin, { notes: "x" }, "https://evil.example"), 403],
    [await post("/campaigns/c1/notes", admin, { notes: "x".repeat(10_001) }), 400],
    [await post("/campaigns/c9/notes", admin, { notes: "x" }), 404],
    [await post("/campaigns/c2/merge", admin, { into: "no such" }), 400],
    [await post("/campaigns/c2/merge", admin, { into: "c9" }), 404],
    [await post("/campaigns/c2/merge", admin, { into: "c2" }), 409],
  ] as const;
  for (const [res, status] of refused) {
    assert.equal(res.status, status, await res.text());
  }
  assert.equal((await t.repos.campaigns.getCampaign("c1"))?.notes, "Tuesday crew");

  const merged = await post("/campaigns/c2/merge", admin, { into: "c1" });
  assert.equal(merged.status, 303);
  const c2 = (await t.repos.campaigns.getCampaign("c2"))!;
  assert.deepEqual([c2.mergedInto, c2.mergeManual], ["c1", true]);
  const [action] = await t.repos.campaigns.campaignActions("c2");
  assert.deepEqual([action.actor, action.action], ["ada", "merge"]);
});
