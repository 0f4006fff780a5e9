import assert from "node:assert/strict";
import type { SwarmHostRow } from "../../../core/db/mod.ts";
import { parseMasterUrl, parseSwarmHostName, swarmHostView } from "../../../core/swarm/mod.ts";

const NOW = new Date("2026-12-01T10:00:00.000Z");
const row = (fields: Partial<SwarmHostRow>): SwarmHostRow => ({
  name: "alpha",
  public_key: null,
  join_token_hash: "h",
  join_expires_at: "2026-12-01T11:00:00.000Z",
  created_at: "2026-12-01T09:00:00.000Z",
  enrolled_at: null,
  last_heartbeat: null,
  version: null,
  revoked_at: null,
  ...fields,
});

Deno.test("swarmHostView() tells pending, expired, enrolled and revoked hosts apart", () => {
  assert.equal(swarmHostView(row({}), NOW).state, "pending");
  assert.equal(swarmHostView(row({ join_expires_at: NOW.toISOString() }), NOW).state, "expired");
  assert.equal(swarmHostView(row({ enrolled_at: NOW.toISOString() }), NOW).state, "enrolled");
  const revoked = swarmHostView(row({ enrolled_at: "x", revoked_at: NOW.toISOString() }), NOW);
  assert.equal(revoked.state, "revoked");
  assert.equal("join_token_hash" in revoked, false);
});

Deno.test("parseSwarmHostName() takes one lowercase DNS label only", () => {
  for (const good of ["a", "dmz-1", "x".repeat(63)]) assert.equal(parseSwarmHostName(good), good);
  for (const bad of ["", "A", "-a", "a-", "a.b", "a*", "a>", "a b", "x".repeat(64)]) {
    assert.throws(() => parseSwarmHostName(bad), SyntaxError, JSON.stringify(bad));
  }
});

Deno.test("parseMasterUrl() wants https without credentials or query", () => {
  assert.equal(parseMasterUrl("https://master.lan:8000").host, "master.lan:8000");
  for (
    const bad of ["http://master.lan", "master.lan", "https://u:p@master.lan", "https://m/?a=1"]
  ) {
    assert.throws(() => parseMasterUrl(bad), /expected https:\/\/host\[:port\]/, bad);
  }
});
