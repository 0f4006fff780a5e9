import assert from "node:assert/strict";
import { observationFromAttacker } from "../../../core/campaigns/observation_from_attacker.ts";
import { emptyRollup } from "../../../core/db/mod.ts";
import type { AttackerRow } from "../../../core/db/mod.ts";

function makeAttacker(fields: Partial<AttackerRow> = {}): AttackerRow {
  return {
    id: 7,
    ip: "192.0.2.7",
    firstSeen: "2026-12-01T10:00:00.000Z",
    lastSeen: "2026-12-01T12:00:00.000Z",
    eventCount: 10,
    credentialCount: 1,
    commandCount: 3,
    rollup: emptyRollup(),
    ...fields,
  };
}

const NONE = { services: [], sessions: [], credentials: [] };

Deno.test("observationFromAttacker() maps the rollup's fingerprints, tools, payloads and network", () => {
  const rollup = {
    ...emptyRollup(),
    ja3: ["j1", "j2"],
    hassh: ["h1"],
    tools: ["hydra"],
    payload_hashes: ["ab12"],
    c2: ["198.51.100.7:4444"],
    usernames: ["root"],
    asn: { asn: 64500, name: "EXAMPLE-NET", country: "ZZ" },
  };
  const o = observationFromAttacker(makeAttacker({ rollup }), {
    ...NONE,
    credentials: [["root", "toor"]],
    sessions: [["2026-12-01T10:00:00.000Z", "2026-12-01T10:20:00.000Z"]],
  });
  assert.deepEqual(o, {
    ip: "192.0.2.7",
    asn: 64500,
    ja3: ["j1", "j2"],
    hassh: ["h1"],
    tools: ["hydra"],
    credentials: [["root", "toor"]],
    payload_hashes: ["ab12"],
    c2_endpoints: ["198.51.100.7:4444"],
    sessions: [["2026-12-01T10:00:00.000Z", "2026-12-01T10:20:00.000Z"]],
  });
});

Deno.test("observationFromAttacker() leaves out what the record does not know", () => {
  const o = observationFromAttacker(makeAttacker(), NONE);
  // Events pruned: the record's own span stands for its sessions.
  assert.deepEqual(o, {
    ip: "192.0.2.7",
    sessions: [["2026-12-01T10:00:00.000Z", "2026-12-01T12:00:00.000Z"]],
  });
  for (const absent of ["asn", "ja3", "hassh", "tcp_fingerprint", "kd_simhash", "phases"]) {
    assert.equal(absent in o, false, absent);
  }
});

Deno.test("observationFromAttacker() spreads each decky's phases from its first to its last contact", () => {
  const rollup = {
    ...emptyRollup(),
    ukc_phases: {
      "web-01": ["reconnaissance", "credential_access", "command_and_control"],
      "db-01": ["discovery"],
      "gone-01": ["impact"],
    },
  };
  const o = observationFromAttacker(makeAttacker({ rollup }), {
    ...NONE,
    services: [
      {
        decky: "web-01",
        first_seen: "2026-12-01T10:00:00.000Z",
        last_seen: "2026-12-01T10:30:00Z",
      },
      {
        decky: "web-01",
        first_seen: "2026-12-01T10:10:00.000Z",
        last_seen: "2026-12-01T11:00:00Z",
      },
      { decky: "db-01", first_seen: "2026-12-01T11:30:00.000Z", last_seen: "2026-12-01T11:40:00Z" },
    ],
  });
  assert.deepEqual(o.phases, [
    { decky: "web-01", phase: "reconnaissance", at: "2026-12-01T10:00:00.000Z" },
    { decky: "web-01", phase: "credential_access", at: "2026-12-01T10:30:00.000Z" },
    { decky: "web-01", phase: "command_and_control", at: "2026-12-01T11:00:00.000Z" },
    { decky: "db-01", phase: "discovery", at: "2026-12-01T11:30:00.000Z" },
  ]);
});
