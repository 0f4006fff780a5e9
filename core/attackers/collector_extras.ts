import type { CanaryJournalIngestStats } from "./canary_journal_ingest.ts";
import type { SensorLogIngestStats } from "./sensor_log_ingest.ts";
import type { SnifferJournalIngestStats } from "./sniffer_journal_ingest.ts";

/** The three ingests a collector runs (the local `collector` and the swarm's `agent-collector`). */
export interface CollectorIngests {
  canary: { stats(): CanaryJournalIngestStats };
  sensors: { stats(): SensorLogIngestStats };
  sniffer: { stats(): SnifferJournalIngestStats };
}

/**
 * A collector's heartbeat extras: the canary journal ingest's counters, the
 * sensor logs' (as `sensor_*`) and the sniffer journal's, flat.
 *
 * @example
 * ```ts
 * import { collectorExtras, type CollectorIngests } from "./collector_extras.ts";
 * declare const ingests: CollectorIngests;
 * collectorExtras(ingests).sensors_followed;
 * ```
 */
export function collectorExtras(
  ingests: CollectorIngests,
): Record<string, string | number | boolean | null> {
  const s = ingests.sensors.stats();
  return {
    ...ingests.canary.stats(),
    sensor_events: s.events,
    sensor_bad_lines: s.bad_lines,
    sensors_followed: s.following,
    sensor_last_error: s.last_error,
    ...ingests.sniffer.stats(),
  };
}
