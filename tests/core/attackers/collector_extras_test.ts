import assert from "node:assert/strict";
import { collectorExtras } from "../../../core/attackers/collector_extras.ts";

Deno.test("collectorExtras() puts the three ingests' counters in one flat heartbeat", () => {
  const extras = collectorExtras({
    canary: {
      stats: () => ({
        ingested: 3,
        skipped: 1,
        database: "up",
        cursor: "0:120",
        active_tokens: 1,
        last_error: null,
      }),
    },
    sensors: { stats: () => ({ events: 7, bad_lines: 2, following: 4, last_error: null }) },
    sniffer: {
      stats: () => ({
        fingerprints_stored: 5,
        probes_stored: 0,
        fingerprint_lines_skipped: 0,
        sniffer_targets: 2,
        sniffer_last_error: null,
      }),
    },
  });
  assert.equal(extras.ingested, 3);
  assert.equal(extras.cursor, "0:120");
  assert.deepEqual(
    [
      extras.sensor_events,
      extras.sensor_bad_lines,
      extras.sensors_followed,
      extras.sensor_last_error,
    ],
    [7, 2, 4, null],
  );
  assert.equal(extras.fingerprints_stored, 5);
  assert.equal(extras.sniffer_targets, 2);
});
