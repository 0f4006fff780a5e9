import assert from "node:assert/strict";
import { type BusMessage, MemoryBus } from "../../../core/bus/mod.ts";
import { createRepositories, migrateToLatest, openDatabase } from "../../../core/db/mod.ts";
import type { StateDecky } from "../../../core/fleet/state_file.ts";
import { Logger } from "../../../core/log/mod.ts";
import { applyAgentEvent } from "../../../core/swarm/apply_agent_event.ts";
import { fleetStateEvent } from "../../../core/swarm/fleet_state_snapshot.ts";
import { removeHostFleet } from "../../../core/swarm/remove_host_fleet.ts";

const quiet = new Logger({ level: "error", sink: () => {} });

async function setup() {
  const handle = await openDatabase("sqlite::memory:");
  await migrateToLatest(handle);
  const repos = createRepositories(handle, {
    triggerRollup: { ratePerMinute: 0, capPerMinute: 0 },
  });
  const bus = new MemoryBus({ broadcast: false });
  const published: BusMessage[] = [];
  bus.subscribe(">", (m) => void published.push(m));
  const deps = { repos, bus, isBenign: () => Promise.resolve(() => false), log: quiet };
  return {
    repos,
    deps,
    published,
    async [Symbol.asyncDispose]() {
      await bus.close();
      await handle.close();
    },
  };
}

function decky(name: string, state: StateDecky["state"], ip = "10.0.0.5"): StateDecky {
  return {
    name,
    uuid: `0000000${name.length}-0000-4000-8000-${name.padStart(12, "0").slice(-12)}`,
    state,
    stateSince: "2026-12-01T10:00:00.000Z",
    ip,
    services: ["ssh"],
    images: { base: "debian:bookworm-slim", ssh: "decnet-sensor" },
    network: "decnet_lan",
    networkDriver: "macvlan",
    osPersona: "linux",
  };
}

const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 10, 0, s));

Deno.test("a fleet snapshot becomes the host's fleet rows, running ones in listRunningDeckies", async () => {
  await using t = await setup();
  await t.repos.fleet.upsert(
    { ...decky("local-1", "running"), hostUuid: "local" },
    "running",
  );
  const event = await fleetStateEvent([decky("ws-01", "running"), decky("db-01", "failed")], at(1));
  assert.equal(await applyAgentEvent(t.deps, "dmz-1", event), "next");
  const rows = await t.repos.fleet.list({ hostUuid: "dmz-1" });
  assert.deepEqual(rows.map((r) => [r.name, r.state, r.ip, r.uuid]), [
    ["db-01", "failed", "10.0.0.5", decky("db-01", "failed").uuid],
    ["ws-01", "running", "10.0.0.5", decky("ws-01", "running").uuid],
  ]);
  const running = await t.repos.fleet.listRunningDeckies();
  assert.deepEqual(running.map((d) => [d.hostUuid, d.name]).sort(), [
    ["dmz-1", "ws-01"],
    ["local", "local-1"],
  ]);
  assert.deepEqual(t.published.map((m) => [m.topic, (m.payload as { to: string }).to]).sort(), [
    ["decky.dmz-1:db-01.state", "failed"],
    ["decky.dmz-1:ws-01.state", "running"],
  ]);
});

Deno.test("a newer snapshot changes states and removes deckies it no longer lists; the same again publishes nothing", async () => {
  await using t = await setup();
  await applyAgentEvent(
    t.deps,
    "dmz-1",
    await fleetStateEvent([decky("ws-01", "running"), decky("db-01", "running")], at(1)),
  );
  t.published.length = 0;
  const newer = await fleetStateEvent([decky("ws-01", "degraded")], at(2));
  assert.equal(await applyAgentEvent(t.deps, "dmz-1", newer), "next");
  assert.deepEqual(
    (await t.repos.fleet.list({ hostUuid: "dmz-1" })).map((r) => [r.name, r.state]),
    [
      ["ws-01", "degraded"],
    ],
  );
  assert.deepEqual(
    t.published.map((m) => m.payload).map((p) => {
      const { decky, from, to } = p as { decky: string; from: string; to: string };
      return [decky, from, to];
    }).sort(),
    [["db-01", "running", "torn_down"], ["ws-01", "running", "degraded"]],
  );
  t.published.length = 0;
  assert.equal(
    await applyAgentEvent(
      t.deps,
      "dmz-1",
      await fleetStateEvent([decky("ws-01", "degraded")], at(3)),
    ),
    "next",
  );
  assert.deepEqual(t.published, []);
});

Deno.test("a snapshot older than (or as old as) the one applied changes nothing", async () => {
  await using t = await setup();
  const older = await fleetStateEvent([decky("ws-01", "running")], at(1));
  const newer = await fleetStateEvent([decky("ws-01", "failed")], at(2));
  assert.equal(await applyAgentEvent(t.deps, "dmz-1", newer), "next");
  t.published.length = 0;
  assert.equal(await applyAgentEvent(t.deps, "dmz-1", older), "done");
  assert.equal(await applyAgentEvent(t.deps, "dmz-1", newer), "done");
  assert.deepEqual(
    (await t.repos.fleet.list({ hostUuid: "dmz-1" })).map((r) => [r.name, r.state]),
    [
      ["ws-01", "failed"],
    ],
  );
  assert.deepEqual(t.published, []);
});

Deno.test("each host's snapshot touches only that host's rows", async () => {
  await using t = await setup();
  await applyAgentEvent(t.deps, "dmz-1", await fleetStateEvent([decky("ws-01", "running")], at(1)));
  await applyAgentEvent(t.deps, "dmz-2", await fleetStateEvent([], at(2)));
  assert.deepEqual((await t.repos.fleet.list()).map((r) => [r.hostUuid, r.name]), [[
    "dmz-1",
    "ws-01",
  ]]);
});

Deno.test("at revoke the host's rows go (torn_down published), other hosts' stay, and its later snapshots are ignored", async () => {
  await using t = await setup();
  await applyAgentEvent(
    t.deps,
    "dmz-1",
    await fleetStateEvent([decky("ws-01", "running"), decky("db-01", "failed")], at(1)),
  );
  await applyAgentEvent(t.deps, "dmz-2", await fleetStateEvent([decky("ws-02", "running")], at(1)));
  await t.repos.swarmHosts.enroll({ name: "dmz-1", tokenHash: "x", expiresAt: at(60) });
  assert.equal(await t.repos.swarmHosts.revoke("dmz-1"), true);
  t.published.length = 0;
  assert.deepEqual(
    (await removeHostFleet(t.deps, "dmz-1", at(3))).sort(),
    ["db-01", "ws-01"],
  );
  assert.deepEqual((await t.repos.fleet.list()).map((r) => [r.hostUuid, r.name]), [
    ["dmz-2", "ws-02"],
  ]);
  assert.deepEqual(
    t.published.map((m) => {
      const { host_uuid, decky, from, to, at } = m.payload as Record<string, string>;
      return [m.topic, host_uuid, decky, from, to, at];
    }).sort(),
    [
      ["decky.dmz-1:db-01.state", "dmz-1", "db-01", "failed", "torn_down", at(3).toISOString()],
      ["decky.dmz-1:ws-01.state", "dmz-1", "ws-01", "running", "torn_down", at(3).toISOString()],
    ],
  );
  // A snapshot already in JetStream when the host was revoked, arriving after.
  t.published.length = 0;
  const late = await fleetStateEvent([decky("ws-01", "running")], at(2));
  assert.equal(await applyAgentEvent(t.deps, "dmz-1", late), "done");
  assert.deepEqual(await t.repos.fleet.list({ hostUuid: "dmz-1" }), []);
  assert.deepEqual(t.published, []);
  // Without a bus (no DECNET_BUS_URL) the rows go all the same.
  assert.deepEqual(await removeHostFleet({ repos: t.repos, log: quiet }, "dmz-2", at(4)), [
    "ws-02",
  ]);
  assert.deepEqual(await t.repos.fleet.list(), []);
});

Deno.test("a malformed snapshot is refused naming the field, and changes nothing", async () => {
  await using t = await setup();
  const good = await fleetStateEvent([decky("ws-01", "running")], at(1));
  const first = (good.fields.deckies as object[])[0];
  const cases: [unknown, RegExp][] = [
    [{ deckies: "x" }, /deckies must be a list/],
    [{ deckies: [{ ...first, name: 3 }] }, /deckies\[0\]\.name is 3/],
    [
      { deckies: [{ ...first, state: "dancing" }] },
      /deckies\[0\]\.state is "dancing"/,
    ],
    [
      { deckies: [{ ...first, services: [1] }] },
      /deckies\[0\]\.services/,
    ],
    [
      { deckies: [first, first] },
      /deckies\[1\]\.name is "ws-01"/,
    ],
  ];
  for (const [fields, message] of cases) {
    await assert.rejects(
      applyAgentEvent(t.deps, "dmz-1", { ...good, fields: fields as typeof good.fields }),
      (e: Error) => e instanceof TypeError && message.test(e.message),
    );
  }
  assert.deepEqual(await t.repos.fleet.list(), []);
});

Deno.test("the snapshot's id is the same for the same content and time, else different", async () => {
  const a = await fleetStateEvent([decky("ws-01", "running"), decky("db-01", "running")], at(1));
  const b = await fleetStateEvent([decky("db-01", "running"), decky("ws-01", "running")], at(1));
  assert.equal(a.id, b.id);
  assert.match(a.id, /^[0-9a-f]{64}$/);
  assert.notEqual((await fleetStateEvent([decky("ws-01", "running")], at(1))).id, a.id);
  assert.notEqual(
    (await fleetStateEvent([decky("ws-01", "running"), decky("db-01", "running")], at(2))).id,
    a.id,
  );
});
