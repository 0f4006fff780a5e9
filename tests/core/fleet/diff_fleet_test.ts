import assert from "node:assert/strict";
import type { FleetDecky } from "../../../core/db/mod.ts";
import type { ContainerSummary } from "../../../core/docker/mod.ts";
import {
  deckyStateFromContainers,
  diffFleet,
  fleetLabelKeys,
  type StateDecky,
} from "../../../core/fleet/mod.ts";

const labels = fleetLabelKeys();
const SINCE = "2026-11-18T14:00:00.000Z";

function makeStateDecky(name: string, overrides: Partial<StateDecky> = {}): StateDecky {
  return {
    name,
    uuid: `uuid-${name}`,
    ip: "192.0.2.10",
    services: ["ssh"],
    images: { base: "img", ssh: "img" },
    network: "decoys",
    networkDriver: "bridge",
    osPersona: "linux",
    state: "running",
    stateSince: SINCE,
    ...overrides,
  };
}

function makeRow(name: string, overrides: Partial<FleetDecky> = {}): FleetDecky {
  const d = makeStateDecky(name);
  return {
    hostUuid: "local",
    name,
    uuid: d.uuid,
    ip: d.ip,
    services: d.services,
    images: d.images,
    network: d.network,
    networkDriver: d.networkDriver,
    osPersona: d.osPersona,
    state: "running",
    stateSince: SINCE,
    createdAt: SINCE,
    updatedAt: SINCE,
    ...overrides,
  };
}

function containers(name: string, states: string[]): ContainerSummary[] {
  return states.map((state, i) => ({
    id: `${name}-${i}`,
    names: [i === 0 ? name : `${name}-svc${i}`],
    image: "img",
    labels: { [labels.managed]: "true", [labels.host]: "local", [labels.decky]: name },
    state,
  }));
}

Deno.test("deckyStateFromContainers() maps container states to a decky state", async (t) => {
  await t.step(
    "all running",
    () =>
      assert.equal(
        deckyStateFromContainers(2, [{ state: "running" }, { state: "running" }]),
        "running",
      ),
  );
  await t.step(
    "some running",
    () =>
      assert.equal(
        deckyStateFromContainers(2, [{ state: "running" }, { state: "exited" }]),
        "degraded",
      ),
  );
  await t.step(
    "one missing",
    () => assert.equal(deckyStateFromContainers(2, [{ state: "running" }]), "degraded"),
  );
  await t.step(
    "none running",
    () =>
      assert.equal(
        deckyStateFromContainers(2, [{ state: "exited" }, { state: "created" }]),
        "failed",
      ),
  );
  await t.step("none found", () => assert.equal(deckyStateFromContainers(2, []), "torn_down"));
});

Deno.test("diffFleet() finds nothing to do when all three agree", () => {
  const diff = diffFleet({
    stateDeckies: [makeStateDecky("a")],
    dbDeckies: [makeRow("a")],
    containers: containers("a", ["running", "running"]),
    labels,
  });
  assert.deepEqual(diff, { changes: [], unchanged: 1, stateFileStates: [] });
});

Deno.test("diffFleet() covers every drift direction", async (t) => {
  await t.step("state file has it, database not: insert with Docker's state", () => {
    const diff = diffFleet({
      stateDeckies: [makeStateDecky("a")],
      dbDeckies: [],
      containers: containers("a", ["running", "running"]),
      labels,
    });
    assert.equal(diff.changes.length, 1);
    assert.equal(diff.changes[0].kind, "insert");
    assert.equal(diff.changes[0].kind === "insert" && diff.changes[0].current, "running");
  });
  await t.step("database has it, state file not: delete", () => {
    const diff = diffFleet({
      stateDeckies: [],
      dbDeckies: [makeRow("a", { state: "degraded" })],
      containers: containers("a", ["running", "running"]),
      labels,
    });
    assert.deepEqual(diff.changes, [{ kind: "delete", name: "a", previous: "degraded" }]);
  });
  for (
    const [name, states, current] of [
      ["one container stopped: degraded", ["running", "exited"], "degraded"],
      ["all stopped: failed", ["exited", "exited"], "failed"],
      ["none found: torn_down", [], "torn_down"],
    ] as const
  ) {
    await t.step(`running row, ${name}`, () => {
      const diff = diffFleet({
        stateDeckies: [makeStateDecky("a")],
        dbDeckies: [makeRow("a")],
        containers: containers("a", [...states]),
        labels,
      });
      assert.equal(diff.changes.length, 1);
      const change = diff.changes[0];
      assert.equal(change.kind, "transition");
      if (change.kind !== "transition") return;
      assert.equal(change.previous, "running");
      assert.equal(change.current, current);
      assert.deepEqual(diff.stateFileStates, [{ name: "a", state: current }]);
    });
  }
  await t.step("degraded row, containers back up: running", () => {
    const diff = diffFleet({
      stateDeckies: [makeStateDecky("a", { state: "degraded" })],
      dbDeckies: [makeRow("a", { state: "degraded" })],
      containers: containers("a", ["running", "running"]),
      labels,
    });
    assert.equal(diff.changes[0].kind, "transition");
    assert.deepEqual(diff.stateFileStates, [{ name: "a", state: "running" }]);
  });
  await t.step("same state, fields differ: update", () => {
    const diff = diffFleet({
      stateDeckies: [makeStateDecky("a", { ip: "192.0.2.11" })],
      dbDeckies: [makeRow("a")],
      containers: containers("a", ["running", "running"]),
      labels,
    });
    assert.equal(diff.changes[0].kind, "update");
    assert.equal(diff.unchanged, 0);
  });
  await t.step("containers of other deckies do not count", () => {
    const diff = diffFleet({
      stateDeckies: [makeStateDecky("a")],
      dbDeckies: [makeRow("a")],
      containers: [...containers("a", ["running", "running"]), ...containers("b", ["exited"])],
      labels,
    });
    assert.equal(diff.unchanged, 1);
    assert.equal(diff.changes.length, 0);
  });
});
