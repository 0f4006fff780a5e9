import type { CampaignFeatures, DeckyMoment } from "./campaign_features.ts";
import { HANDOFF_WINDOW_MS, isHandoff, isHandoffEnd, isHandoffStart } from "./score_edge.ts";

/**
 * Calls `visit(i, j)` (indexes into `features`, `i < j`) once for every
 * pair of identities that could reach the edge threshold, found through
 * shared feature values instead of scoring all n² pairs, and holding no
 * list of the pairs (a value shared by k identities yields k(k−1)/2 of
 * them, more than a Set can hold for k ≈ 6,000).
 *
 * This blocking is exact, not an approximation: with the weights 1.0
 * handoff, 1.0 infra, 0.4 temporal, 0.1 cohort, 0.6 keystroke, a pair with
 * no handoff and no shared payload/C2 value scores at most
 * 0.4 + 0.1 + 0.6·(1 − d/8), which reaches 1.0 only when the simhashes are
 * at most 1 bit apart (d = 2 gives 0.95). So the candidates are:
 * - pairs sharing a payload hash or C2 endpoint (inverted index);
 * - pairs whose simhashes share their high or low 32 bits (two bands: one
 *   differing bit leaves one band equal, by pigeonhole);
 * - handoff pairs (per decky: the enders' last times against the starters'
 *   first times, sorted, a 24 h range search).
 * Temporal overlap and cohort alone (at most 0.5) never need a block of
 * their own. A pair found by several keys is visited under the first one
 * only (the smallest shared key, infrastructure before bands before
 * handoffs). tests/core/campaigns/candidate_pairs_test.ts checks all this
 * against the all-pairs scan on the scenario fixtures and random data.
 *
 * Cost: linear in the features plus the pairs inside each shared value's
 * group; those all score above zero on infrastructure, so they must be
 * looked at (RESULTS.md has the figures for one value shared by thousands).
 */
export function visitCandidatePairs(
  features: readonly CampaignFeatures[],
  visit: (i: number, j: number) => void,
): void {
  const infra = new Map<string, number[]>();
  const bands = new Map<string, number[]>();
  const bandsOf: Set<string>[] = [];
  const enders = new Map<string, Moment[]>();
  const starters = new Map<string, Moment[]>();
  features.forEach((f, i) => {
    for (const value of f.infra) push(infra, value, i);
    const own = new Set<string>();
    for (const [high, low] of f.simhashes) own.add(`h${high}`).add(`l${low}`);
    for (const key of own) push(bands, key, i);
    bandsOf.push(own);
    for (const [decky, moment] of f.lastOnDecky) {
      if (isHandoffEnd(moment)) push(enders, decky, { at: moment.at, i, moment });
    }
    for (const [decky, moment] of f.firstOnDecky) {
      if (isHandoffStart(moment)) push(starters, decky, { at: moment.at, i, moment });
    }
  });
  const infraRank = rankKeys(infra);
  const bandRank = rankKeys(bands);
  for (const [value, members] of infra) {
    const rank = infraRank.get(value)!;
    eachPair(members, (i, j) => {
      if (firstShared(features[i].infra, features[j].infra, infraRank) === rank) visit(i, j);
    });
  }
  for (const [key, members] of bands) {
    const rank = bandRank.get(key)!;
    eachPair(members, (i, j) => {
      if (firstShared(features[i].infra, features[j].infra, infraRank) >= 0) return;
      if (firstShared(bandsOf[i], bandsOf[j], bandRank) === rank) visit(i, j);
    });
  }
  // Handoffs are few (one per enders' decky and day at most per starter): a Set
  // of them is small, and catches a pair handing over on two deckies or both ways.
  const handoffs = new Set<string>();
  for (const [decky, ends] of enders) {
    const starts = (starters.get(decky) ?? []).sort((p, q) => p.at - q.at);
    for (const end of ends) {
      for (let k = firstAtOrAfter(starts, end.at); k < starts.length; k++) {
        if (starts[k].at - end.at > HANDOFF_WINDOW_MS) break;
        const [i, j] = end.i < starts[k].i ? [end.i, starts[k].i] : [starts[k].i, end.i];
        if (i === j || !isHandoff(end.moment, starts[k].moment)) continue;
        if (firstShared(features[i].infra, features[j].infra, infraRank) >= 0) continue;
        if (firstShared(bandsOf[i], bandsOf[j], bandRank) >= 0) continue;
        if (!handoffs.has(`${i},${j}`)) {
          handoffs.add(`${i},${j}`);
          visit(i, j);
        }
      }
    }
  }
}

interface Moment {
  at: number;
  i: number;
  moment: DeckyMoment;
}

function push<T>(index: Map<string, T[]>, key: string, value: T): void {
  const list = index.get(key);
  if (list) list.push(value);
  else index.set(key, [value]);
}

function rankKeys(index: Map<string, unknown>): Map<string, number> {
  return new Map([...index.keys()].map((key, rank) => [key, rank]));
}

/** Pairs of a group's members (ascending indexes, so `i < j`). */
function eachPair(members: readonly number[], fn: (i: number, j: number) => void): void {
  for (let x = 0; x < members.length; x++) {
    for (let y = x + 1; y < members.length; y++) fn(members[x], members[y]);
  }
}

/** The smallest rank among the keys two sets share, or −1 when they share none. */
function firstShared(
  a: ReadonlySet<string>,
  b: ReadonlySet<string>,
  rank: ReadonlyMap<string, number>,
): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let best = -1;
  for (const key of small) {
    if (!large.has(key)) continue;
    const r = rank.get(key)!;
    if (best < 0 || r < best) best = r;
  }
  return best;
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
