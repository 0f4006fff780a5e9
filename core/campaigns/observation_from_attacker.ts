import type { AttackerRow } from "../db/mod.ts";
import type { Observation, ObservationPhase } from "./observation.ts";

/** What an attacker record alone does not hold: its service windows, sessions and credentials. */
export interface AttackerEvidence {
  /** The deckies and services it touched, with when (attacker_services). */
  services: readonly { decky: string; first_seen: string; last_seen: string }[];
  /** Its activity windows, `[start, end]` ISO 8601 (from its service events' times). */
  sessions: readonly (readonly [string, string])[];
  /** Username and secret pairs its credential events offered. */
  credentials: readonly (readonly [string, string])[];
}

/**
 * The clustering's view of one attacker record: fingerprints, tools,
 * payloads, endpoints and network from its rollup; sessions from its
 * events' times (its first and last seen when those are gone); kill chain
 * phases per decky, in the order first seen there, spread from the decky's
 * first to its last contact (the rollup keeps which phases, not when).
 * Fields the record does not know stay absent. Pure.
 *
 * @example
 * ```ts
 * import type { AttackerRow } from "../db/mod.ts";
 * declare const row: AttackerRow;
 * const o = observationFromAttacker(row, { services: [], sessions: [], credentials: [] });
 * o.ip === row.ip; // true
 * ```
 */
export function observationFromAttacker(
  attacker: AttackerRow,
  evidence: AttackerEvidence,
): Observation {
  const r = attacker.rollup;
  const o: {
    -readonly [K in keyof Observation]: Observation[K];
  } = { ip: attacker.ip };
  if (r.asn) o.asn = r.asn.asn;
  if (r.ja3.length > 0) o.ja3 = [...r.ja3];
  if (r.hassh.length > 0) o.hassh = [...r.hassh];
  if (r.tools.length > 0) o.tools = [...r.tools];
  if (evidence.credentials.length > 0) o.credentials = evidence.credentials.map(([u, p]) => [u, p]);
  if (r.payload_hashes.length > 0) o.payload_hashes = [...r.payload_hashes];
  if (r.c2.length > 0) o.c2_endpoints = [...r.c2];
  o.sessions = evidence.sessions.length > 0
    ? evidence.sessions.map(([s, e]) => [s, e])
    : [[attacker.firstSeen, attacker.lastSeen]];
  const phases = phaseTimeline(r.ukc_phases, evidence.services);
  if (phases.length > 0) o.phases = phases;
  return o;
}

function phaseTimeline(
  byDecky: Record<string, string[]>,
  services: AttackerEvidence["services"],
): ObservationPhase[] {
  const out: ObservationPhase[] = [];
  for (const [decky, phases] of Object.entries(byDecky)) {
    const touched = services.filter((s) => s.decky === decky);
    if (phases.length === 0 || touched.length === 0) continue;
    const first = Date.parse(touched.map((s) => s.first_seen).sort()[0]);
    const last = Date.parse(touched.map((s) => s.last_seen).sort().at(-1)!);
    const step = phases.length > 1 ? (last - first) / (phases.length - 1) : 0;
    phases.forEach((phase, i) => {
      out.push({ decky, phase, at: new Date(first + Math.round(step * i)).toISOString() });
    });
  }
  return out;
}
