import assert from "node:assert/strict";
import { AttackerObservations } from "../../../core/campaigns/attacker_observations.ts";
import { runClustering } from "../../../core/campaigns/run_clustering.ts";
import { campaignView, identityView } from "../../../core/campaigns/campaign_views.ts";
import { type BusMessage, MemoryBus } from "../../../core/bus/mod.ts";
import { createRepositories, migrateToLatest, openDatabase } from "../../../core/db/mod.ts";
import type { Repositories } from "../../../core/db/mod.ts";
import { Logger } from "../../../core/log/mod.ts";
import type { SensorEvent } from "../../../core/sensor/mod.ts";
import { makeSensorEvent, sensorBatchWriter } from "../db/attackers_contract.ts";
import { waitUntil } from "../../infra/wait_until.ts";

const C2 = ["198.51.100.9:443"];

async function setUp() {
  const handle = await openDatabase("sqlite::memory:");
  assert.equal((await migrateToLatest(handle)).error, undefined);
  const repos = createRepositories(handle);
  const bus = new MemoryBus({ broadcast: false, logger: new Logger({ level: "error" }) });
  const messages: BusMessage[] = [];
  bus.subscribe(">", (m) => void messages.push(m));
  const store = sensorBatchWriter(repos.attackers);
  const inputs = new AttackerObservations(repos.campaigns);
  let ids = 0;
  const run = () =>
    runClustering({
      campaigns: repos.campaigns,
      inputs,
      bus,
      isBenign: (ip) => ip === "192.0.2.200",
      newId: () => `c${++ids}`,
      now: () => new Date("2026-12-01T12:00:00Z"),
    });
  return {
    repos,
    messages,
    store,
    run,
    async [Symbol.asyncDispose]() {
      await bus.close();
      await handle.close();
    },
  };
}

function actorEvents(ip: string, extra: Partial<SensorEvent> = {}): SensorEvent[] {
  return [
    makeSensorEvent({ src_ip: ip, time: "2026-12-01T10:00:00.000Z", ja3: "j1", hassh: "h1" }),
    makeSensorEvent({
      src_ip: ip,
      kind: "command",
      command: "id",
      time: "2026-12-01T10:05:00.000Z",
      ...extra,
    }),
  ];
}

async function campaignOf(repos: Repositories, ip: string): Promise<string | null | undefined> {
  const { items } = await repos.attackers.listAttackers({ q: ip, limit: 10, offset: 0 });
  const attacker = items.find((a) => a.ip === ip)!;
  const identity = await repos.campaigns.identityOfAttacker(attacker.id);
  return identity === undefined
    ? undefined
    : (await repos.campaigns.getIdentity(identity))?.campaignId;
}

Deno.test("runClustering() stores identities and campaigns from attacker records and announces them", async () => {
  await using t = await setUp();
  await t.store([
    ...actorEvents("192.0.2.1", { c2: C2 }),
    ...actorEvents("192.0.2.5"),
    makeSensorEvent({ src_ip: "192.0.2.2", ja3: "j2", hassh: "h2", c2: C2 }),
    makeSensorEvent({ src_ip: "192.0.2.3", ja3: "j3", hassh: "h3" }),
    makeSensorEvent({ src_ip: "192.0.2.200", ja3: "j1", hassh: "h1", c2: C2 }),
  ]);
  const stats = await t.run();
  assert.deepEqual(stats, { attackers: 4, changed: 5, identities: 3, campaigns: 2, events: 8 });
  const { items } = await t.repos.campaigns.listIdentities({ limit: 10, offset: 0 });
  const actor = items.find((i) => i.key === "192.0.2.1")!;
  assert.equal(actor.addressCount, 2);
  assert.deepEqual(actor.fingerprints.ja3, ["j1"]);
  assert.deepEqual(actor.fingerprints.c2, C2);
  assert.equal(await campaignOf(t.repos, "192.0.2.2"), actor.campaignId);
  assert.notEqual(await campaignOf(t.repos, "192.0.2.3"), actor.campaignId);
  assert.equal(
    await campaignOf(t.repos, "192.0.2.200"),
    undefined,
    "a benign source is never clustered",
  );

  await waitUntil(() => t.messages.length >= 8, { what: "the run's bus events" });
  const topics = t.messages.map((m) => m.topic).sort();
  assert.deepEqual(topics.filter((x) => x.startsWith("campaign.")), [
    "campaign.c1.formed",
    "campaign.c2.formed",
  ]);
  assert.equal(topics.filter((x) => x.endsWith(".formed") && x.startsWith("identity.")).length, 3);
  assert.equal(topics.filter((x) => x.endsWith(".campaign_assigned")).length, 3);
  const formed = t.messages.find((m) => m.topic === `identity.${actor.id}.formed`)!;
  assert.equal(formed.payload.address_count, 2);
  assert.deepEqual(formed.payload, identityView((await t.repos.campaigns.getIdentity(actor.id))!));
  const crew = t.messages.find((m) => m.topic === "campaign.c1.formed")!;
  assert.deepEqual(crew.payload, campaignView((await t.repos.campaigns.getCampaign("c1"))!));

  // Nothing new: nothing re-read, nothing announced.
  t.messages.length = 0;
  assert.deepEqual(await t.run(), {
    attackers: 4,
    changed: 0,
    identities: 3,
    campaigns: 2,
    events: 0,
  });

  // The loner starts sharing the C2: its campaign merges into the older one.
  await t.store([makeSensorEvent({ src_ip: "192.0.2.3", kind: "command", command: "x", c2: C2 })]);
  const merged = await t.run();
  assert.equal(merged.changed, 1);
  await waitUntil(() => t.messages.length >= 1, { what: "the merge event" });
  assert.deepEqual(t.messages.map((m) => [m.topic, m.payload.other_id]), [[
    "campaign.c2.merged",
    "c1",
  ]]);
  assert.equal((await t.repos.campaigns.getCampaign("c1"))?.identityCount, 3);
});
