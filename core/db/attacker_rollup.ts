import type { SensorEvent } from "../sensor/sensor_event.ts";

/** Most distinct values a rollup set keeps; later ones are counted, not kept. */
export const ROLLUP_SET_LIMIT = 100;

/**
 * What one attacking address has done, folded event by event (never by
 * rescanning its events), with the features clustering reads (tools,
 * fingerprints, payloads, endpoints, kill chain phases). Sets are bounded so a noisy attacker cannot grow
 * its row without limit; `*_dropped` counts what no longer fit.
 */
export type AttackerRollup = {
  /** Events by kind. */
  kinds: Record<string, number>;
  sessions: number;
  usernames: string[];
  commands: string[];
  commands_dropped: number;
  user_agents: string[];
  client_idents: string[];
  hassh: string[];
  /** Known tools the attacker's clients or commands named (nmap, hydra, ...). */
  tools: string[];
  /** JA3 fingerprints of the TLS ClientHellos sensors received. */
  ja3: string[];
  /** sha256 of files transferred or fetched in sessions. */
  payload_hashes: string[];
  /** `host:port` endpoints named in download and callback commands. */
  c2: string[];
  /** Unified Kill Chain phases seen, per decky. */
  ukc_phases: Record<string, string[]>;
  /** The address's network, when the operator's offline ASN table knows it. */
  asn?: { asn: number; name: string; country: string };
};

/** One attacker's counters and rollup, as stored. */
export interface AttackerTotals {
  ip: string;
  firstSeen: string;
  lastSeen: string;
  eventCount: number;
  credentialCount: number;
  commandCount: number;
  rollup: AttackerRollup;
}

/** A rollup with nothing in it. */
export function emptyRollup(): AttackerRollup {
  return {
    kinds: {},
    sessions: 0,
    usernames: [],
    commands: [],
    commands_dropped: 0,
    user_agents: [],
    client_idents: [],
    hassh: [],
    tools: [],
    ja3: [],
    payload_hashes: [],
    c2: [],
    ukc_phases: {},
  };
}

/**
 * Folds `events` (all from `ip`) into `previous`, or starts a record.
 * Pure: the same events folded in any number of batches give the same totals.
 *
 * @example
 * ```ts
 * import type { SensorEvent } from "../sensor/sensor_event.ts";
 * declare const events: SensorEvent[];
 * const totals = foldAttackerEvents(undefined, "192.0.2.9", events);
 * totals.eventCount === events.length; // true
 * ```
 */
export function foldAttackerEvents(
  previous: AttackerTotals | undefined,
  ip: string,
  events: readonly SensorEvent[],
): AttackerTotals {
  const totals: AttackerTotals = previous ? structuredClone(previous) : {
    ip,
    firstSeen: events[0]?.time ?? "",
    lastSeen: events[0]?.time ?? "",
    eventCount: 0,
    credentialCount: 0,
    commandCount: 0,
    rollup: emptyRollup(),
  };
  const r = totals.rollup;
  for (const e of events) {
    if (e.time < totals.firstSeen) totals.firstSeen = e.time;
    if (e.time > totals.lastSeen) totals.lastSeen = e.time;
    totals.eventCount++;
    r.kinds[e.kind] = (r.kinds[e.kind] ?? 0) + 1;
    if (e.kind === "connect") r.sessions++;
    if (e.kind === "credential") totals.credentialCount++;
    if (typeof e.username === "string") addBounded(r.usernames, e.username);
    if (typeof e.user_agent === "string") addBounded(r.user_agents, e.user_agent);
    if (typeof e.client_ident === "string") addBounded(r.client_idents, e.client_ident);
    if (typeof e.hassh === "string") addBounded(r.hassh, e.hassh);
    if (typeof e.tool === "string") addBounded(r.tools, e.tool);
    if (!r.asn && isAsn(e.asn)) {
      r.asn = { asn: e.asn.asn, name: e.asn.name, country: e.asn.country };
    }
    if (typeof e.ja3 === "string") addBounded(r.ja3, e.ja3);
    if (typeof e.sha256 === "string") addBounded(r.payload_hashes, e.sha256);
    for (const endpoint of strings(e.c2)) addBounded(r.c2, endpoint);
    const phases = strings(e.ukc_phases);
    if (phases.length > 0) {
      const seen = r.ukc_phases[e.decky] ??= [];
      for (const phase of phases) addBounded(seen, phase);
    }
    if (e.kind === "command" && typeof e.command === "string") {
      totals.commandCount++;
      if (r.commands.length < ROLLUP_SET_LIMIT) r.commands.push(e.command);
      else r.commands_dropped++;
    }
  }
  return totals;
}

function isAsn(value: unknown): value is { asn: number; name: string; country: string } {
  const v = value as { asn?: unknown; name?: unknown; country?: unknown } | null;
  return typeof v === "object" && v !== null && typeof v.asn === "number" &&
    typeof v.name === "string" && typeof v.country === "string";
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function addBounded(set: string[], value: string): void {
  if (set.length < ROLLUP_SET_LIMIT && !set.includes(value)) set.push(value);
}
