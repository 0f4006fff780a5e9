import type { Observation } from "./observation.ts";
import { normalizeFingerprint } from "./normalize_fingerprint.ts";
import { normalizePhase } from "./normalize_phase.ts";
import { parseInstant } from "./parse_instant.ts";
import { parseSimhash } from "./parse_simhash.ts";

/** What one identity did on one decky first or last: when, and which phases at that instant. */
export interface DeckyMoment {
  at: number;
  phases: ReadonlySet<string>;
}

/** An identity's campaign-layer features, merged over its observations. */
export interface CampaignFeatures {
  /** Payload hashes and C2 endpoints, tagged by kind (`p:` / `c:`). */
  infra: ReadonlySet<string>;
  /** Disjoint session windows in ms, sorted by start. */
  windows: readonly (readonly [number, number])[];
  /** Total length of `windows` in ms. */
  activeMs: number;
  /** ASNs, tools and deckies, tagged by kind (`asn:` / `tool:` / `decky:`). */
  cohort: ReadonlySet<string>;
  /** Keystroke simhashes as [high 32 bits, low 32 bits]. */
  simhashes: readonly (readonly [number, number])[];
  /** Per decky: the first phases seen there. */
  firstOnDecky: ReadonlyMap<string, DeckyMoment>;
  /** Per decky: the last phases seen there. */
  lastOnDecky: ReadonlyMap<string, DeckyMoment>;
}

/**
 * Merges the campaign-layer features of one identity's observations.
 * Values that cannot be read (a bad time, a short simhash) are skipped:
 * input is validated where it enters (`parseObservation`), and the worker
 * builds observations from stored records.
 */
export function campaignFeatures(observations: readonly Observation[]): CampaignFeatures {
  const infra = new Set<string>();
  const cohort = new Set<string>();
  const sessions: [number, number][] = [];
  const simhashes: [number, number][] = [];
  const firstOnDecky = new Map<string, { at: number; phases: Set<string> }>();
  const lastOnDecky = new Map<string, { at: number; phases: Set<string> }>();
  const seenSimhash = new Set<string>();
  for (const o of observations) {
    for (const h of o.payload_hashes ?? []) {
      const hash = normalizeFingerprint(h);
      if (hash !== "") infra.add(`p:${hash}`);
    }
    for (const c of o.c2_endpoints ?? []) if (c.trim() !== "") infra.add(`c:${c.trim()}`);
    if (o.asn !== undefined && o.asn !== null) cohort.add(`asn:${o.asn}`);
    for (const t of o.tools ?? []) if (t !== "") cohort.add(`tool:${t}`);
    for (const [start, end] of o.sessions ?? []) {
      const s = parseInstant(start), e = parseInstant(end);
      if (Number.isFinite(s) && Number.isFinite(e) && e >= s) sessions.push([s, e]);
    }
    const simhash = o.kd_simhash?.toLowerCase() ?? "";
    const halves = parseSimhash(simhash);
    if (halves && !seenSimhash.has(simhash)) {
      seenSimhash.add(simhash);
      simhashes.push(halves);
    }
    for (const p of o.phases ?? []) {
      const at = parseInstant(p.at);
      if (!p.decky || !Number.isFinite(at)) continue;
      const phase = normalizePhase(p.phase);
      cohort.add(`decky:${p.decky}`);
      keepExtreme(firstOnDecky, p.decky, at, phase, (a, b) => a < b);
      keepExtreme(lastOnDecky, p.decky, at, phase, (a, b) => a > b);
    }
  }
  const windows = mergeWindows(sessions);
  const activeMs = windows.reduce((sum, [s, e]) => sum + (e - s), 0);
  return { infra, windows, activeMs, cohort, simhashes, firstOnDecky, lastOnDecky };
}

function keepExtreme(
  moments: Map<string, { at: number; phases: Set<string> }>,
  decky: string,
  at: number,
  phase: string,
  better: (a: number, b: number) => boolean,
): void {
  const current = moments.get(decky);
  if (!current || better(at, current.at)) moments.set(decky, { at, phases: new Set([phase]) });
  else if (current.at === at) current.phases.add(phase);
}

/** Overlapping or touching windows become one, so overlap is never counted twice. */
function mergeWindows(sessions: [number, number][]): [number, number][] {
  sessions.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const merged: [number, number][] = [];
  for (const [s, e] of sessions) {
    const last = merged.at(-1);
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged;
}
