import { compareText } from "./compare_text.ts";
import { resolveCampaignId } from "./resolve_campaign_id.ts";

/** A stored campaign: its id and, while merged, the campaign it was merged into. */
export interface CampaignRecord {
  id: string;
  mergedInto: string | null;
}

/** What the previous run left: campaigns and each identity's own campaign link. */
export interface CampaignState {
  campaigns: readonly CampaignRecord[];
  /** Identity key -> the campaign it was assigned to (kept across soft merges). */
  links: ReadonlyMap<string, string>;
}

/** Something {@linkcode assignCampaignIds} changed, in the order it happened. */
export type CampaignEvent =
  | { kind: "formed"; campaign: string }
  | { kind: "merged"; campaign: string; into: string }
  | { kind: "unmerged"; campaign: string; from: string }
  | { kind: "identity_assigned"; identity: string; campaign: string; previous: string | null };

/** Options for {@linkcode assignCampaignIds}. */
export interface AssignCampaignIdsOptions {
  /** Makes a fresh campaign id (called once per new campaign, in component order). */
  newId: () => string;
}

/** The new state, each component's effective campaign id, and what changed. */
export interface CampaignAssignment {
  state: CampaignState;
  /** Effective (unmerged) campaign id per input component, same order. */
  componentIds: readonly string[];
  events: readonly CampaignEvent[];
}

/**
 * Gives this run's components (arrays of identity keys) campaign ids that
 * survive across runs, with soft, revocable merges:
 * - each campaign id is claimed by the component holding most of the
 *   identities linked to it (ties: the component with the smallest key);
 *   a component claiming none forms a new campaign (`formed`);
 * - a component claiming several keeps the lexicographically smallest
 *   effective id; the others get `mergedInto` it (`merged`);
 * - a campaign that was merged but whose identities are now apart from
 *   its winner's becomes its own again (`unmerged`);
 * - identities keep their own link through merges (soft merge), so an
 *   unmerge gives each campaign its identities back; only new identities
 *   and those whose campaign is claimed elsewhere are (re)linked
 *   (`identity_assigned`).
 * A campaign none of whose identities is present keeps its merge: that is
 * absence of evidence, not a split. Chains are followed at most
 * `MAX_MERGE_DEPTH` steps and flattened when rewritten.
 *
 * @param previous the campaigns and identity links stored by the last run
 * @param components this run's components of identity keys
 * @returns the new state, each component's effective id, and the events in order
 * @example
 * ```ts
 * let n = 0;
 * const first = assignCampaignIds({ campaigns: [], links: new Map() }, [["a"], ["b"]], {
 *   newId: () => `c${++n}`,
 * });
 * const merged = assignCampaignIds(first.state, [["a", "b"]], { newId: () => `c${++n}` });
 * merged.events; // [{ kind: "merged", campaign: "c2", into: "c1" }]
 * ```
 */
export function assignCampaignIds(
  previous: CampaignState,
  components: readonly (readonly string[])[],
  options: AssignCampaignIdsOptions,
): CampaignAssignment {
  const before = new Map(previous.campaigns.map((c) => [c.id, c.mergedInto]));
  const after = new Map(before);
  const links = new Map(previous.links);
  const events: CampaignEvent[] = [];
  const smallest = components.map((members) => [...members].sort(compareText)[0] ?? "");
  const claimOf = claimCampaigns(components, smallest, previous.links, before);
  const claimed = new Map<number, string[]>();
  for (const [id, k] of claimOf) claimed.set(k, [...(claimed.get(k) ?? []), id]);
  const taken = new Set<string>();
  const componentIds: string[] = new Array(components.length);
  const order = components.map((_, k) => k).sort((x, y) =>
    compareText(smallest[x], smallest[y]) || x - y
  );
  for (const k of order) {
    const own = new Set(claimed.get(k) ?? []);
    let winner: string;
    if (own.size === 0) {
      winner = options.newId();
      after.set(winner, null);
      events.push({ kind: "formed", campaign: winner });
    } else {
      // Within this component a chain may step onto its own campaigns, or onto
      // a campaign nobody claims (its identities are absent: no evidence of a split).
      const mayFollow = (id: string) => own.has(id) || (!claimOf.has(id) && !taken.has(id));
      const roots = [...own].map((id) => resolveCampaignId(before, id, { follow: mayFollow }));
      winner = roots.sort(compareText)[0];
      const parent = after.get(winner);
      if (parent) {
        events.push({ kind: "unmerged", campaign: winner, from: parent });
        after.set(winner, null);
      }
      for (const id of [...own].sort(compareText)) {
        if (id === winner) continue;
        const was = resolveCampaignId(before, id);
        if (was !== winner) {
          if (was !== id) events.push({ kind: "unmerged", campaign: id, from: was });
          events.push({ kind: "merged", campaign: id, into: winner });
        }
        after.set(id, winner);
      }
    }
    taken.add(winner);
    componentIds[k] = winner;
    for (const identity of [...components[k]].sort(compareText)) {
      const link = links.get(identity);
      if (link !== undefined && own.has(link)) continue;
      links.set(identity, winner);
      events.push({
        kind: "identity_assigned",
        identity,
        campaign: winner,
        previous: link ?? null,
      });
    }
  }
  const campaigns = [...after].sort(([a], [b]) => compareText(a, b))
    .map(([id, mergedInto]) => ({ id, mergedInto }));
  const sortedLinks = new Map([...links].sort(([a], [b]) => compareText(a, b)));
  return { state: { campaigns, links: sortedLinks }, componentIds, events };
}

/**
 * Which component claims each linked campaign id: the one holding most of
 * its identities, ties to the smallest component key. Links to campaigns
 * that are not stored are ignored (their identities are linked anew).
 */
function claimCampaigns(
  components: readonly (readonly string[])[],
  smallest: readonly string[],
  links: ReadonlyMap<string, string>,
  stored: ReadonlyMap<string, string | null>,
): Map<string, number> {
  const best = new Map<string, { k: number; count: number }>();
  components.forEach((members, k) => {
    const tally = new Map<string, number>();
    for (const identity of members) {
      const id = links.get(identity);
      if (id !== undefined && stored.has(id)) tally.set(id, (tally.get(id) ?? 0) + 1);
    }
    for (const [id, count] of tally) {
      const current = best.get(id);
      if (
        !current || count > current.count ||
        (count === current.count && compareText(smallest[k], smallest[current.k]) < 0)
      ) best.set(id, { k, count });
    }
  });
  return new Map([...best].map(([id, { k }]) => [id, k]));
}
