import type { CampaignFeatures, DeckyMoment } from "./campaign_features.ts";
import type { EdgeScore } from "./cluster_observations.ts";

/** Signal weights of the combined edge score. */
export const EDGE_WEIGHTS = Object.freeze({
  handoff: 1.0,
  infra: 1.0,
  temporal: 0.4,
  cohort: 0.1,
  keystroke: 0.6,
});

/** Combined score at which two identities are joined (float sums get a hair of slack). */
export const EDGE_THRESHOLD = 1.0 - 1e-9;

/** Keystroke simhashes this many bits apart or more say nothing. */
export const KEYSTROKE_MAX_BITS = 8;

/** Longest gap between one operator's last phase and the next one's first for a handoff. */
export const HANDOFF_WINDOW_MS = 24 * 3600_000;

const HANDOFF_FROM = new Set(["command_and_control", "persistence"]);
const HANDOFF_TO = new Set(["discovery", "lateral_movement"]);

/**
 * Scores the evidence that two identities work together: each signal in
 * [0, 1] and the weighted sum (an edge when it reaches
 * {@linkcode EDGE_THRESHOLD}). Symmetric in its arguments.
 */
export function scoreEdge(a: CampaignFeatures, b: CampaignFeatures): EdgeScore {
  const handoff = hasHandoff(a, b) || hasHandoff(b, a) ? 1 : 0;
  const infra = jaccard(a.infra, b.infra);
  const overlap = overlapMs(a.windows, b.windows);
  const temporal = Math.max(
    a.activeMs > 0 ? Math.min(1, overlap / a.activeMs) : 0,
    b.activeMs > 0 ? Math.min(1, overlap / b.activeMs) : 0,
  );
  const cohort = jaccard(a.cohort, b.cohort);
  const distance = closestSimhash(a.simhashes, b.simhashes);
  const keystroke = distance < KEYSTROKE_MAX_BITS ? 1 - distance / KEYSTROKE_MAX_BITS : 0;
  const combined = EDGE_WEIGHTS.handoff * handoff + EDGE_WEIGHTS.infra * infra +
    EDGE_WEIGHTS.temporal * temporal + EDGE_WEIGHTS.cohort * cohort +
    EDGE_WEIGHTS.keystroke * keystroke;
  return { handoff, infra, temporal, cohort, keystroke, combined };
}

/** `from` ended on a decky with C2 or persistence and `to` began there with discovery or lateral movement within 24 h. */
function hasHandoff(from: CampaignFeatures, to: CampaignFeatures): boolean {
  for (const [decky, last] of from.lastOnDecky) {
    const first = to.firstOnDecky.get(decky);
    if (first && isHandoff(last, first)) return true;
  }
  return false;
}

/**
 * The handoff test on one decky, shared by the scorer and the candidate
 * index so the two cannot disagree.
 */
export function isHandoff(last: DeckyMoment, first: DeckyMoment): boolean {
  const gap = first.at - last.at;
  return gap >= 0 && gap <= HANDOFF_WINDOW_MS && isHandoffEnd(last) && isHandoffStart(first);
}

/** The last phases on a decky could hand over to another operator. */
export function isHandoffEnd(last: DeckyMoment): boolean {
  return [...last.phases].some((p) => HANDOFF_FROM.has(p));
}

/** The first phases on a decky could take over from another operator. */
export function isHandoffStart(first: DeckyMoment): boolean {
  return [...first.phases].some((p) => HANDOFF_TO.has(p));
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const v of small) if (large.has(v)) shared++;
  return shared / (a.size + b.size - shared);
}

/** Length of the intersection of two sorted lists of disjoint windows (a linear merge). */
function overlapMs(
  a: readonly (readonly [number, number])[],
  b: readonly (readonly [number, number])[],
): number {
  let total = 0, i = 0, j = 0;
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i][0], b[j][0]);
    const end = Math.min(a[i][1], b[j][1]);
    if (end > start) total += end - start;
    if (a[i][1] < b[j][1]) i++;
    else j++;
  }
  return total;
}

function closestSimhash(
  a: readonly (readonly [number, number])[],
  b: readonly (readonly [number, number])[],
): number {
  let best = 64;
  for (const [ah, al] of a) {
    for (const [bh, bl] of b) best = Math.min(best, popcount(ah ^ bh) + popcount(al ^ bl));
  }
  return best;
}

/** Set bits of a 32-bit value. */
export function popcount(value: number): number {
  let v = value >>> 0;
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}
