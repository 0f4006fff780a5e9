import assert from "node:assert/strict";
import type { StateDecky } from "../../../core/fleet/state_file.ts";
import { Logger } from "../../../core/log/mod.ts";
import type { AgentEvent } from "../../../core/swarm/agent_event.ts";
import { AgentFleetSnapshots } from "../../../core/swarm/agent_fleet_snapshots.ts";
import { parseFleetState } from "../../../core/swarm/fleet_state_snapshot.ts";
import { waitUntil } from "../../infra/wait_until.ts";

const quiet = new Logger({ level: "error", sink: () => {} });

function decky(name: string, state: StateDecky["state"]): StateDecky {
  return {
    name,
    uuid: `00000000-0000-4000-8000-${name.padStart(12, "0").slice(-12)}`,
    state,
    stateSince: "2026-12-01T10:00:00.000Z",
    ip: "10.0.0.5",
    services: ["ssh"],
    images: { base: "debian:bookworm-slim" },
    network: null,
    networkDriver: null,
    osPersona: "linux",
  };
}

/** A snapshotter over `deckies` and a clock the test moves; `down` makes publishing fail. */
function harness() {
  const t = {
    deckies: [decky("ws-01", "running")],
    clock: Date.UTC(2026, 11, 1, 10, 0, 0),
    down: false,
    attempts: [] as AgentEvent[],
    stored: [] as AgentEvent[],
  };
  const snapshots = new AgentFleetSnapshots({
    read: () => Promise.resolve(t.deckies),
    publish: (event) => {
      t.attempts.push(event);
      if (t.down) return Promise.reject(new Error("no responders"));
      t.stored.push(event);
      return Promise.resolve();
    },
    now: () => new Date(t.clock),
    log: quiet,
    pollMs: 1000,
    refreshMs: 60_000,
  });
  return { t, snapshots };
}

const states = (e: AgentEvent) => parseFleetState(e.fields).map((d) => `${d.name}:${d.state}`);

Deno.test("a snapshot goes at the first look, then only on change or after refreshMs", async () => {
  const { t, snapshots } = harness();
  await snapshots.tick();
  t.clock += 1000;
  await snapshots.tick();
  assert.equal(t.stored.length, 1);
  t.deckies = [decky("ws-01", "failed")];
  t.clock += 1000;
  await snapshots.tick();
  assert.deepEqual(t.stored.map(states), [["ws-01:running"], ["ws-01:failed"]]);
  t.clock += 59_000;
  await snapshots.tick();
  assert.equal(t.stored.length, 2);
  t.clock += 1000;
  await snapshots.tick();
  assert.equal(t.stored.length, 3);
  assert.equal(snapshots.published, 3);
  assert.deepEqual(t.stored.map((e) => e.at), [
    "2026-12-01T10:00:00.000Z",
    "2026-12-01T10:00:02.000Z",
    "2026-12-01T10:01:02.000Z",
  ]);
});

Deno.test("while the link is down the same snapshot is retried as one event; after a change the newest goes", async () => {
  const { t, snapshots } = harness();
  t.down = true;
  await snapshots.tick();
  t.clock += 1000;
  await snapshots.tick();
  assert.equal(t.attempts.length, 2);
  assert.equal(t.attempts[0].id, t.attempts[1].id);
  t.deckies = [decky("ws-01", "failed"), decky("db-01", "running")];
  t.clock += 1000;
  await snapshots.tick();
  t.deckies = [decky("ws-01", "running")];
  t.clock += 1000;
  await snapshots.tick();
  assert.equal(new Set(t.attempts.map((e) => e.id)).size, 3);
  t.down = false;
  t.clock += 1000;
  await snapshots.tick();
  assert.deepEqual(t.stored.map(states), [["ws-01:running"]]);
  assert.equal(t.stored[0].at, "2026-12-01T10:00:03.000Z");
  assert.equal(t.stored[0].id, t.attempts.at(-2)!.id);
});

Deno.test("an unreadable state file sends nothing and does not stop the looks", async () => {
  const { t } = harness();
  let fail = true;
  const snapshots = new AgentFleetSnapshots({
    read: () => fail ? Promise.reject(new SyntaxError("not JSON")) : Promise.resolve(t.deckies),
    publish: (event) => {
      t.stored.push(event);
      return Promise.resolve();
    },
    now: () => new Date(t.clock),
    log: quiet,
    pollMs: 10,
    refreshMs: 60_000,
  });
  snapshots.start();
  await snapshots.tick();
  assert.equal(t.stored.length, 0);
  fail = false;
  await waitUntil(() => t.stored.length === 1);
  await snapshots.close();
});
