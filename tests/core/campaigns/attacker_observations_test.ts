import assert from "node:assert/strict";
import { AttackerObservations } from "../../../core/campaigns/attacker_observations.ts";
import { createRepositories, migrateToLatest, openDatabase } from "../../../core/db/mod.ts";
import type { SensorEvent } from "../../../core/sensor/mod.ts";
import { makeSensorEvent, sensorBatchWriter } from "../db/attackers_contract.ts";

const cred = (ip: string, secret: string, time: string): SensorEvent =>
  makeSensorEvent({
    src_ip: ip,
    kind: "credential",
    username: "root",
    secret_kind: "password",
    secret,
    time,
  });

Deno.test("AttackerObservations.refresh() reads only what is new, per source", async () => {
  await using handle = await openDatabase("sqlite::memory:");
  assert.equal((await migrateToLatest(handle)).error, undefined);
  const repos = createRepositories(handle);
  const store = sensorBatchWriter(repos.attackers);
  const inputs = new AttackerObservations(repos.campaigns);
  await store([
    cred("192.0.2.1", "toor", "2026-12-01T10:00:00.000Z"),
    makeSensorEvent({ src_ip: "192.0.2.2", time: "2026-12-01T10:00:00.000Z" }),
  ]);
  const first = await inputs.refresh();
  assert.equal(first.changed, 2);
  // .2 comes back within the half hour, .1 the next day with a second password and the first again.
  await store([
    makeSensorEvent({ src_ip: "192.0.2.2", time: "2026-12-01T10:20:00.000Z" }),
    cred("192.0.2.1", "admin", "2026-12-02T10:00:00.000Z"),
    cred("192.0.2.1", "toor", "2026-12-02T10:01:00.000Z"),
  ]);
  const second = await inputs.refresh();
  assert.equal(second.changed, 2);
  const byIp = new Map(second.observations.map((o) => [o.ip, o]));
  assert.deepEqual(byIp.get("192.0.2.1")?.credentials, [["root", "toor"], ["root", "admin"]]);
  assert.deepEqual(byIp.get("192.0.2.1")?.sessions, [
    ["2026-12-01T10:00:00.000Z", "2026-12-01T10:00:00.000Z"],
    ["2026-12-02T10:00:00.000Z", "2026-12-02T10:01:00.000Z"],
  ]);
  assert.deepEqual(byIp.get("192.0.2.2")?.sessions, [
    ["2026-12-01T10:00:00.000Z", "2026-12-01T10:20:00.000Z"],
  ]);
  assert.deepEqual(second.members.map((m) => m.ip), second.observations.map((o) => o.ip));
  assert.equal((await inputs.refresh()).changed, 0);
});
