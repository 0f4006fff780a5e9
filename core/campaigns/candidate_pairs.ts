import type { CampaignFeatures, DeckyMoment } from "./campaign_features.ts";
import { HANDOFF_WINDOW_MS, isHandoff, isHandoffEnd, isHandoffStart } from "./score_edge.ts";

/**
 * The pairs of identities (indexes into `features`, `i < j`, sorted) that
 * could reach the edge threshold, found through shared feature values
 * instead of scoring all n² pairs.
 *
 * This blocking is exact, not an approximation: with the weights 1.0
 * handoff, 1.0 infra, 0.4 temporal, 0.1 cohort, 0.6 keystroke, a pair with
 * no handoff and no shared payload/C2 value scores at most
 * 0.4 + 0.1 + 0.6·(1 − d/8), which reaches 1.0 only when the simhashes are
 * at most 1 bit apart (d = 2 gives 0.95). So the candidates are:
 * - pairs sharing a payload hash or C2 endpoint (inverted index);
 * - handoff pairs (per decky: the enders' last times against the starters'
 *   first times, sorted, a 24 h range search);
 * - pairs whose simhashes share their high or low 32 bits (two bands: one
 *   differing bit leaves one band equal, by pigeonhole).
 * Temporal overlap and cohort alone (at most 0.5) never need a block of
 * their own. tests/core/campaigns/candidate_pairs_test.ts checks this
 * against the all-pairs scan on the scenario fixtures and random data.
 *
 * Cost: linear in the features plus the pairs inside each shared value's
 * group (a value shared by k identities gives k(k−1)/2 pairs, all of
 * which score above zero on infrastructure, so they must be looked at).
 */
export function candidatePairs(features: readonly CampaignFeatures[]): [number, number][] {
  const n = features.length;
  const pairs = new Set<number>();
  const add = (i: number, j: number) => {
    if (i !== j) pairs.add(i < j ? i * n + j : j * n + i);
  };
  const infra = new Map<string, number[]>();
  const bands = new Map<string, number[]>();
  const enders = new Map<string, { at: number; i: number; moment: DeckyMoment }[]>();
  const starters = new Map<string, { at: number; i: number; moment: DeckyMoment }[]>();
  features.forEach((f, i) => {
    for (const value of f.infra) push(infra, value, i);
    for (const [high, low] of f.simhashes) {
      push(bands, `h${high}`, i);
      push(bands, `l${low}`, i);
    }
    for (const [decky, moment] of f.lastOnDecky) {
      if (isHandoffEnd(moment)) push(enders, decky, { at: moment.at, i, moment });
    }
    for (const [decky, moment] of f.firstOnDecky) {
      if (isHandoffStart(moment)) push(starters, decky, { at: moment.at, i, moment });
    }
  });
  for (const group of [...infra.values(), ...bands.values()]) {
    for (let x = 0; x < group.length; x++) {
      for (let y = x + 1; y < group.length; y++) add(group[x], group[y]);
    }
  }
  for (const [decky, ends] of enders) {
    const starts = (starters.get(decky) ?? []).sort((p, q) => p.at - q.at);
    for (const end of ends) {
      for (let k = firstAtOrAfter(starts, end.at); k < starts.length; k++) {
        if (starts[k].at - end.at > HANDOFF_WINDOW_MS) break;
        if (isHandoff(end.moment, starts[k].moment)) add(end.i, starts[k].i);
      }
    }
  }
  return [...pairs].sort((p, q) => p - q).map((p) => [Math.floor(p / n), p % n]);
}

function push<T>(index: Map<string, T[]>, key: string, value: T): void {
  const list = index.get(key);
  if (list) {
    if (list.at(-1) !== value) list.push(value);
  } else index.set(key, [value]);
}

function firstAtOrAfter(sorted: readonly { at: number }[], at: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid].at < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
