import assert from "node:assert/strict";
import { recordTcpFingerprint } from "../../../core/attackers/mod.ts";
import { MemoryBus } from "../../../core/bus/mod.ts";
import type { BusMessage } from "../../../core/bus/mod.ts";
import { createRepositories, migrateToLatest, openDatabase } from "../../../core/db/mod.ts";
import { waitUntil } from "../../infra/wait_until.ts";
import { makeTcpFingerprint } from "../db/tcp_fingerprints_contract.ts";

async function setup() {
  const handle = await openDatabase("sqlite::memory:");
  assert.equal((await migrateToLatest(handle)).error, undefined);
  const bus = new MemoryBus({ channel: `test-${crypto.randomUUID()}` });
  return {
    handle,
    bus,
    repos: createRepositories(handle),
    async [Symbol.asyncDispose]() {
      await bus.close();
      await handle.close();
    },
  };
}

Deno.test("recordTcpFingerprint() stores, then publishes the event and the attacker record", async () => {
  await using s = await setup();
  const seen: { message: BusMessage; stored: boolean }[] = [];
  s.bus.subscribe("attacker.>", async (message) => {
    // What a subscriber reads when told must already be committed.
    const stored = (await s.repos.attackers.listAttackers({ limit: 1, offset: 0 })).total === 1;
    seen.push({ message, stored });
  });
  const event = makeTcpFingerprint({ ipid_class: "zero", ipid_samples: 6 });
  const recorded = await recordTcpFingerprint({ repos: s.repos, bus: s.bus }, event);
  assert.ok(recorded);
  const id = recorded.attacker.id;
  await waitUntil(() => seen.length === 2, { what: "two attacker messages" });
  assert.deepEqual(seen.map((m) => [m.message.topic, m.stored]), [
    [`attacker.${id}.tcp_fingerprint`, true],
    [`attacker.${id}.observed`, true],
  ]);
  assert.deepEqual(seen[0].message.payload, { ...event, attacker_id: id });
  const observed = seen[1].message.payload as {
    ip: string;
    tcp_fingerprint: { ipid_class: string };
  };
  assert.equal(observed.ip, "192.0.2.50");
  assert.equal(observed.tcp_fingerprint.ipid_class, "zero");
});

Deno.test("recordTcpFingerprint() leaves benign sources out of the attacker records", async () => {
  await using s = await setup();
  let messages = 0;
  s.bus.subscribe("attacker.>", () => void messages++);
  const recorded = await recordTcpFingerprint(
    { repos: s.repos, bus: s.bus, isBenign: (ip) => ip === "192.0.2.50" },
    makeTcpFingerprint(),
  );
  assert.equal(recorded, null);
  assert.equal((await s.repos.attackers.listAttackers({ limit: 1, offset: 0 })).total, 0);
  // A hostile source right after is stored and published: had the benign one been, it would show first.
  await recordTcpFingerprint(
    { repos: s.repos, bus: s.bus },
    makeTcpFingerprint({ src_ip: "192.0.2.51" }),
  );
  await waitUntil(() => messages === 2, { what: "the hostile source's messages" });
  const { items } = await s.repos.attackers.listAttackers({ limit: 10, offset: 0 });
  assert.deepEqual(items.map((a) => a.ip), ["192.0.2.51"]);
});
