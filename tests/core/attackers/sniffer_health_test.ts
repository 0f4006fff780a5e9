import assert from "node:assert/strict";
import { SNIFFER_STATUS_STALE_MS, snifferHealth } from "../../../core/attackers/sniffer_health.ts";
import type { SnifferStatus } from "../../../core/sniffer/sniffer_status.ts";

const NOW = new Date("2026-12-01T14:00:30.000Z");

function status(fields: Partial<SnifferStatus> = {}): SnifferStatus {
  return {
    at: "2026-12-01T14:00:28.000Z",
    started_at: "2026-12-01T14:00:00.000Z",
    running: true,
    received: 120,
    dropped: 0,
    if_dropped: 0,
    syns: 118,
    events: 9,
    lost: 0,
    flows: 4,
    interfaces: ["br-decoys"],
    ...fields,
  };
}

const CONTEXT = { now: NOW, journalLagBytes: 512, fingerprintsStored: 7 };

Deno.test("snifferHealth() reports a running sniffer's counters and the journal lag", () => {
  assert.deepEqual(snifferHealth(status(), CONTEXT), {
    worker: "sniffer",
    status: "ok",
    state: "running",
    at: NOW.toISOString(),
    uptime_seconds: 30,
    restarts: 0,
    last_error: null,
    details: {
      packets_seen: 120,
      packets_dropped: 0,
      interface_dropped: 0,
      syns: 118,
      events: 9,
      events_lost: 0,
      flows: 4,
      interfaces: ["br-decoys"],
      journal_lag_bytes: 512,
      fingerprints_stored: 7,
      status_at: "2026-12-01T14:00:28.000Z",
    },
  });
});

Deno.test("snifferHealth() is degraded only while drops or losses grow", async (t) => {
  for (const field of ["dropped", "if_dropped", "lost"] as const) {
    await t.step(field, () => {
      const previous = status({ [field]: 3 });
      assert.equal(
        snifferHealth(status({ [field]: 5 }), { ...CONTEXT, previous }).status,
        "degraded",
      );
      assert.equal(snifferHealth(status({ [field]: 3 }), { ...CONTEXT, previous }).status, "ok");
      // First report, or a restarted sniffer (counters begin again): any drop counts.
      assert.equal(snifferHealth(status({ [field]: 3 }), CONTEXT).status, "degraded");
      const restarted = status({ [field]: 2, started_at: "2026-12-01T14:00:20.000Z" });
      assert.equal(snifferHealth(restarted, { ...CONTEXT, previous }).status, "degraded");
    });
  }
});

Deno.test("snifferHealth() is failing when the sniffer stopped or its status went stale", () => {
  const stopped = snifferHealth(status({ running: false }), CONTEXT);
  assert.deepEqual([stopped.status, stopped.state, stopped.uptime_seconds], [
    "failing",
    "stopped",
    0,
  ]);
  assert.equal(stopped.last_error, "the sniffer stopped at 2026-12-01T14:00:28.000Z");

  const at = new Date(NOW.getTime() - SNIFFER_STATUS_STALE_MS - 1).toISOString();
  const stale = snifferHealth(status({ at }), CONTEXT);
  assert.deepEqual([stale.status, stale.state], ["failing", "stopped"]);
  assert.equal(stale.last_error, `no status from the sniffer since ${at}`);
  const fresh = new Date(NOW.getTime() - SNIFFER_STATUS_STALE_MS).toISOString();
  assert.equal(snifferHealth(status({ at: fresh }), CONTEXT).status, "ok");
});
