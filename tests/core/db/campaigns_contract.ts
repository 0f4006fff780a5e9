import assert from "node:assert/strict";
import { CampaignChangeError, createRepositories, migrateToLatest } from "../../../core/db/mod.ts";
import type {
  ClusteredCampaign,
  ClusteredIdentity,
  DbHandle,
  Repositories,
} from "../../../core/db/mod.ts";
import { makeSensorEvent } from "./attackers_contract.ts";
import type { MakeHandle } from "./repository_contract.ts";

const T0 = new Date("2026-12-01T12:00:00.000Z");

/** A clustered identity with defaults (one member, attacker 1 at 192.0.2.1, campaign c1). */
export function makeClusteredIdentity(fields: Partial<ClusteredIdentity> = {}): ClusteredIdentity {
  return {
    key: "192.0.2.1",
    firstSeen: "2026-12-01T10:00:00.000Z",
    lastSeen: "2026-12-01T11:00:00.000Z",
    members: [{ attackerId: 1, ip: "192.0.2.1" }],
    fingerprints: { ja3: ["j1"], hassh: ["h1"] },
    campaignId: "c1",
    pinned: false,
    ...fields,
  };
}

/** A clustered campaign with defaults (c1, one identity). */
export function makeClusteredCampaign(fields: Partial<ClusteredCampaign> = {}): ClusteredCampaign {
  return {
    id: "c1",
    firstSeen: "2026-12-01T10:00:00.000Z",
    lastSeen: "2026-12-01T11:00:00.000Z",
    identityCount: 1,
    addressCount: 1,
    fingerprints: { ja3: ["j1"] },
    evidence: [],
    confidence: 1,
    mergedInto: null,
    ...fields,
  };
}

const A = makeClusteredIdentity();
const B = makeClusteredIdentity({
  key: "192.0.2.2",
  members: [{ attackerId: 2, ip: "192.0.2.2" }, { attackerId: 3, ip: "192.0.2.3" }],
  lastSeen: "2026-12-01T11:30:00.000Z",
  campaignId: "c2",
});
const C1 = makeClusteredCampaign();
const C2 = makeClusteredCampaign({
  id: "c2",
  addressCount: 2,
  lastSeen: "2026-12-01T11:30:00.000Z",
});

/** The identities and campaigns repository contract, run against SQLite and a real MariaDB. */
export async function runCampaignsContract(
  t: Deno.TestContext,
  makeHandle: MakeHandle,
): Promise<void> {
  const step = (
    name: string,
    fn: (repos: Repositories, clock: { now: Date }, handle: DbHandle) => Promise<void>,
  ) =>
    t.step(name, async () => {
      await using handle = await makeHandle();
      assert.equal((await migrateToLatest(handle)).error, undefined);
      const clock = { now: T0 };
      await fn(createRepositories(handle, { clock: () => clock.now }), clock, handle);
    });

  await step(
    "saveClustering() writes identities, members and campaigns, and only what changed",
    async ({ campaigns }, clock) => {
      const ids = await campaigns.saveClustering({ identities: [A, B], campaigns: [C1, C2] });
      assert.deepEqual([...ids.keys()], ["192.0.2.1", "192.0.2.2"]);
      const b = (await campaigns.getIdentity(ids.get("192.0.2.2")!))!;
      assert.equal(b.addressCount, 2);
      assert.deepEqual(b.fingerprints, { ja3: ["j1"], hassh: ["h1"] });
      assert.equal(b.campaignId, "c2");
      assert.equal(b.notes, "");
      const members = await campaigns.identityMembers([b.id]);
      assert.deepEqual(members.get(b.id), [
        { attackerId: 2, ip: "192.0.2.2" },
        { attackerId: 3, ip: "192.0.2.3" },
      ]);
      assert.equal(await campaigns.identityOfAttacker(3), b.id);

      // The same run again writes nothing: updated_at stays.
      clock.now = new Date(T0.getTime() + 60_000);
      assert.deepEqual(
        await campaigns.saveClustering({ identities: [A, B], campaigns: [C1, C2] }),
        ids,
      );
      assert.equal((await campaigns.getIdentity(b.id))?.updatedAt, T0.toISOString());
      assert.equal((await campaigns.getCampaign("c2"))?.updatedAt, T0.toISOString());

      // Attacker 3 leaves B for a new identity; A is gone with its campaign.
      const b2 = { ...B, members: [B.members[0]] };
      const d = makeClusteredIdentity({
        key: "192.0.2.3",
        members: [B.members[1]],
        campaignId: "c2",
      });
      const next = await campaigns.saveClustering({
        identities: [b2, d],
        campaigns: [{ ...C2, identityCount: 2 }],
      });
      assert.equal(next.get("192.0.2.2"), b.id);
      assert.equal(await campaigns.getIdentity(ids.get("192.0.2.1")!), undefined);
      assert.equal(await campaigns.identityOfAttacker(1), undefined);
      assert.equal(await campaigns.identityOfAttacker(3), next.get("192.0.2.3"));
      assert.equal(await campaigns.getCampaign("c1"), undefined);
      assert.equal((await campaigns.getCampaign("c2"))?.identityCount, 2);
      assert.equal((await campaigns.getIdentity(b.id))?.updatedAt, clock.now.toISOString());
    },
  );

  await step(
    "lists page identities and campaigns, merged ones on request",
    async ({ campaigns }) => {
      await campaigns.saveClustering({
        identities: [A, B],
        campaigns: [{ ...C1, mergedInto: "c2" }, { ...C2, identityCount: 2 }],
      });
      const listed = await campaigns.listCampaigns({ limit: 10, offset: 0 });
      assert.deepEqual(listed.items.map((c) => c.id), ["c2"]);
      assert.equal(listed.total, 1);
      const all = await campaigns.listCampaigns({ includeMerged: true, limit: 1, offset: 0 });
      assert.deepEqual([all.items.map((c) => c.id), all.total], [["c2"], 2]);
      const big = await campaigns.listCampaigns({ minIdentities: 3, limit: 10, offset: 0 });
      assert.equal(big.total, 0);
      assert.deepEqual((await campaigns.mergedInto("c2")).map((c) => c.id), ["c1"]);
      assert.equal(await campaigns.effectiveCampaignId("c1"), "c2");
      assert.deepEqual(await campaigns.campaignsMergedTo("c2"), ["c2", "c1"]);

      const ids = await campaigns.listIdentities({ limit: 10, offset: 0 });
      assert.deepEqual(ids.items.map((i) => i.key), ["192.0.2.2", "192.0.2.1"]);
      const inC1 = await campaigns.listIdentities({ campaignIds: ["c1"], limit: 10, offset: 0 });
      assert.deepEqual(inC1.items.map((i) => i.key), ["192.0.2.1"]);
      assert.equal(
        (await campaigns.listIdentities({ campaignIds: [], limit: 10, offset: 0 })).total,
        0,
      );
    },
  );

  await step("a manual merge is recorded and survives reclustering", async ({ campaigns }) => {
    await campaigns.saveClustering({ identities: [A, B], campaigns: [C1, C2] });
    await campaigns.mergeCampaigns("c1", "c2", "alice");
    const merged = (await campaigns.getCampaign("c1"))!;
    assert.deepEqual([merged.mergedInto, merged.mergeManual], ["c2", true]);
    // The clustering says they are apart: the admin's merge stays.
    await campaigns.saveClustering({ identities: [A, B], campaigns: [C1, C2] });
    assert.equal((await campaigns.getCampaign("c1"))?.mergedInto, "c2");
    const [action] = await campaigns.campaignActions("c1");
    assert.deepEqual([action.actor, action.action, action.detail], ["alice", "merge", {
      into: "c2",
    }]);
    const loaded = await campaigns.loadClustering();
    assert.deepEqual(loaded.campaigns.find((c) => c.id === "c1"), {
      id: "c1",
      mergedInto: "c2",
      mergeManual: true,
      manual: false,
    });

    const refused = async (p: Promise<unknown>, field: string, reason: string) => {
      const e = await p.then(() => undefined, (e: unknown) => e);
      assert.ok(e instanceof CampaignChangeError, String(e));
      assert.deepEqual([e.field, e.reason], [field, reason]);
    };
    await refused(campaigns.mergeCampaigns("c9", "c2", "alice"), "path.id", "not_found");
    await refused(campaigns.mergeCampaigns("c2", "c9", "alice"), "body.into", "not_found");
    await refused(campaigns.mergeCampaigns("c2", "c1", "alice"), "body.into", "conflict");
    await refused(campaigns.mergeCampaigns("c2", "c2", "alice"), "body.into", "conflict");
  });

  await step(
    "a manual split pins its identities in a new manual campaign",
    async ({ campaigns }) => {
      const two = { ...C2, identityCount: 2, addressCount: 3 };
      const ids = await campaigns.saveClustering({
        identities: [{ ...A, campaignId: "c2" }, B],
        campaigns: [two],
      });
      const a = ids.get("192.0.2.1")!;
      const split = await campaigns.splitCampaign("c2", [a], { newId: "c3", actor: "alice" });
      assert.deepEqual(
        [split.id, split.manual, split.identityCount, split.addressCount, split.mergedInto],
        ["c3", true, 1, 1, null],
      );
      const moved = (await campaigns.getIdentity(a))!;
      assert.deepEqual([moved.campaignId, moved.pinned], ["c3", true]);
      const [action] = await campaigns.campaignActions("c2");
      assert.deepEqual([action.action, action.detail], ["split", { identities: [a], into: "c3" }]);
      const loaded = await campaigns.loadClustering();
      assert.deepEqual(loaded.identities.find((i) => i.id === a), {
        id: a,
        key: "192.0.2.1",
        campaignId: "c3",
        pinned: true,
        attackerIds: [1],
      });
      // A run that read the assignments before the split does not move it back.
      await campaigns.saveClustering({
        identities: [{ ...A, campaignId: "c2" }, B],
        campaigns: [two],
      });
      const still = (await campaigns.getIdentity(a))!;
      assert.deepEqual([still.campaignId, still.pinned], ["c3", true]);
      assert.equal((await campaigns.getCampaign("c3"))?.manual, true);
      // It is no longer c2's: a second split of it is refused, and writes nothing.
      const e = await campaigns.splitCampaign("c2", [a], { newId: "c4", actor: "alice" })
        .then(() => undefined, (e: unknown) => e);
      assert.ok(e instanceof CampaignChangeError);
      assert.equal(e.field, "body.identities");
      assert.equal(await campaigns.getCampaign("c4"), undefined);
    },
  );

  await step("notes are kept, and keep their campaign when it empties", async ({ campaigns }) => {
    const ids = await campaigns.saveClustering({ identities: [A, B], campaigns: [C1, C2] });
    assert.equal(await campaigns.setCampaignNotes("c1", "the Tuesday crew", "alice"), true);
    assert.equal(await campaigns.setCampaignNotes("c9", "x", "alice"), false);
    assert.equal(await campaigns.setIdentityNotes(ids.get("192.0.2.1")!, "VPN hopper"), true);
    assert.equal(await campaigns.setIdentityNotes(999, "x"), false);
    await campaigns.saveClustering({
      identities: [{ ...A, campaignId: "c2" }, B],
      campaigns: [C2],
    });
    assert.equal((await campaigns.getCampaign("c1"))?.notes, "the Tuesday crew");
    assert.equal((await campaigns.getIdentity(ids.get("192.0.2.1")!))?.notes, "VPN hopper");

    // A smaller address joins: the key changes, the row (id, notes) stays.
    const renamed = await campaigns.saveClustering({
      identities: [{ ...A, key: "192.0.2.0", previousKey: "192.0.2.1" }, B],
      campaigns: [C2],
    });
    assert.equal(renamed.get("192.0.2.0"), ids.get("192.0.2.1"));
    const row = (await campaigns.getIdentity(ids.get("192.0.2.1")!))!;
    assert.deepEqual([row.key, row.notes], ["192.0.2.0", "VPN hopper"]);
  });

  await step(
    "clustering inputs: attacker versions, records and new activity by source",
    async ({ attackers, campaigns }) => {
      const events = [
        makeSensorEvent({ time: "2026-12-01T10:00:01.000Z" }),
        makeSensorEvent({
          kind: "credential",
          username: "root",
          secret_kind: "password",
          secret: "toor",
          time: "2026-12-01T10:00:02.000Z",
        }),
        makeSensorEvent({
          kind: "credential",
          username: "root",
          secret_kind: "password",
          secret: "toor",
          time: "2026-12-01T10:00:03.000Z",
        }),
        makeSensorEvent({ src_ip: "192.0.2.10", time: "2026-12-01T10:00:04.000Z" }),
        makeSensorEvent({ src_ip: "192.0.2.11", time: "2026-12-01T10:00:05.000Z" }),
      ];
      await attackers.storeSensorBatch({
        container: "c1",
        decky: "web-01",
        from: { logTime: "", linesAtTime: 0 },
        to: { logTime: "2026-12-01T10:00:05Z", linesAtTime: 1 },
        events,
        badLines: 0,
        isBenign: (ip) => ip === "192.0.2.11",
      });
      const versions = await campaigns.attackerVersions();
      assert.deepEqual(versions.map((v) => [v.ip, v.eventCount]), [["192.0.2.9", 3], [
        "192.0.2.10",
        1,
      ]]);
      const rows = await campaigns.attackersByIds([versions[1].id, 999]);
      assert.deepEqual(rows.map((r) => r.ip), ["192.0.2.10"]);
      const first = await campaigns.sourceActivity(["192.0.2.9", "192.0.2.10"], 0, 2);
      assert.deepEqual(first.map((e) => [e.ip, e.time, e.credential]), [
        ["192.0.2.9", "2026-12-01T10:00:01.000Z", null],
        ["192.0.2.9", "2026-12-01T10:00:02.000Z", ["root", "toor"]],
      ]);
      const rest = await campaigns.sourceActivity(["192.0.2.9", "192.0.2.10"], first[1].id, 10);
      assert.deepEqual(rest.map((e) => [e.ip, e.time]), [
        ["192.0.2.9", "2026-12-01T10:00:03.000Z"],
        ["192.0.2.10", "2026-12-01T10:00:04.000Z"],
      ]);
      assert.deepEqual(await campaigns.sourceActivity(["192.0.2.9"], rest[1].id, 10), []);
      assert.deepEqual(await campaigns.sourceActivity(["192.0.2.11"], 0, 10), [], "benign");
      assert.deepEqual(await campaigns.sourceActivity([], 0, 10), []);
      const deckies = await campaigns.attackerDeckies([versions[0].id, 999]);
      assert.deepEqual(deckies.get(versions[0].id)?.map((d) => [d.decky, d.first_seen]), [[
        "web-01",
        "2026-12-01T10:00:01.000Z",
      ]]);
      assert.deepEqual(deckies.get(999), []);
    },
  );
}
