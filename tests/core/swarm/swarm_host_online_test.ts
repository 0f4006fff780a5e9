import assert from "node:assert/strict";
import { isSwarmHostOnline } from "../../../core/swarm/mod.ts";

Deno.test("isSwarmHostOnline() is true within three heartbeats of the last one", () => {
  const now = new Date("2026-12-01T10:00:00.000Z");
  const at = (ms: number) => new Date(now.getTime() - ms).toISOString();
  assert.equal(isSwarmHostOnline({ state: "enrolled", last_heartbeat: at(44_999) }, now), true);
  assert.equal(isSwarmHostOnline({ state: "enrolled", last_heartbeat: at(45_000) }, now), false);
  assert.equal(
    isSwarmHostOnline({ state: "enrolled", last_heartbeat: at(2_000) }, now, 500),
    false,
  );
  assert.equal(isSwarmHostOnline({ state: "enrolled", last_heartbeat: null }, now), false);
  assert.equal(isSwarmHostOnline({ state: "revoked", last_heartbeat: at(1) }, now), false);
});
