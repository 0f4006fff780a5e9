import type { HealthPayload } from "../bus/mod.ts";
import { SNIFFER_STATUS_EVERY_MS, type SnifferStatus } from "../sniffer/sniffer_status.ts";

/** A status older than this means the sniffer stopped writing it (stopped, hung or killed). */
export const SNIFFER_STATUS_STALE_MS = 6 * SNIFFER_STATUS_EVERY_MS;

/** What the collector adds to the sniffer's own counters. */
export interface SnifferHealthContext {
  now: Date;
  /** Bytes journaled by the sniffer and not yet stored by the collector. */
  journalLagBytes: number;
  /** Fingerprint events the collector stored since it started. */
  fingerprintsStored: number;
  /** The status published last time, to tell new kernel drops from old ones. */
  previous?: SnifferStatus | null;
}

/**
 * The `system.sniffer.health` payload for the sniffer's latest status file:
 * `running` while it writes one (else `stopped`, status failing), `degraded`
 * when the kernel dropped SYNs or the journal lost events since the last
 * report, with its counters (packets seen and dropped, SYNs, events, flows,
 * interfaces, prober counters) and the journal lag in `details`. The
 * sniffer holds no bus connection: the collector, which reads its spool,
 * publishes this for it.
 *
 * @example
 * ```ts
 * import type { SnifferStatus } from "../sniffer/sniffer_status.ts";
 * declare const status: SnifferStatus;
 * snifferHealth(status, { now: new Date(), journalLagBytes: 0, fingerprintsStored: 0 }).status; // "ok"
 * ```
 */
export function snifferHealth(status: SnifferStatus, context: SnifferHealthContext): HealthPayload {
  const { now, previous } = context;
  const age = now.getTime() - Date.parse(status.at);
  const running = status.running && age <= SNIFFER_STATUS_STALE_MS;
  const grew = (field: "dropped" | "if_dropped" | "lost") =>
    status[field] > (previous && previous.started_at === status.started_at ? previous[field] : 0);
  const losing = grew("dropped") || grew("if_dropped") || grew("lost");
  return {
    worker: "sniffer",
    status: !running ? "failing" : losing ? "degraded" : "ok",
    state: running ? "running" : "stopped",
    at: now.toISOString(),
    uptime_seconds: running
      ? Math.max(0, Math.round((now.getTime() - Date.parse(status.started_at)) / 1000))
      : 0,
    // Its supervisor (decnet up or systemd) restarts it and logs each restart.
    restarts: 0,
    last_error: running
      ? null
      : status.running
      ? `no status from the sniffer since ${status.at}`
      : `the sniffer stopped at ${status.at}`,
    details: {
      packets_seen: status.received,
      packets_dropped: status.dropped,
      interface_dropped: status.if_dropped,
      syns: status.syns,
      events: status.events,
      events_lost: status.lost,
      flows: status.flows,
      interfaces: status.interfaces,
      journal_lag_bytes: context.journalLagBytes,
      fingerprints_stored: context.fingerprintsStored,
      status_at: status.at,
      ...(status.probes ? { probes: status.probes } : {}),
    },
  };
}
