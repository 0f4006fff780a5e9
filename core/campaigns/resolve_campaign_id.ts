/** Deepest `mergedInto` chain followed when resolving a campaign's effective id. */
export const MAX_MERGE_DEPTH = 8;

/** Options for {@linkcode resolveCampaignId}. */
export interface ResolveCampaignIdOptions {
  /** Which ids the chain may step onto (default: all). */
  follow?: (id: string) => boolean;
}

/**
 * A campaign's effective id: its `mergedInto` chain followed to the end,
 * at most {@linkcode MAX_MERGE_DEPTH} steps, stopping at a cycle or at an
 * id that is not there (a damaged chain resolves to where it breaks
 * instead of looping).
 *
 * @param mergedInto each campaign id's `mergedInto` (null or absent: not merged)
 * @param id the campaign to resolve
 * @param options.follow which ids the chain may step onto (default: all)
 * @example
 * ```ts
 * resolveCampaignId(new Map([["b", "a"], ["a", null]]), "b"); // "a"
 * ```
 */
export function resolveCampaignId(
  mergedInto: ReadonlyMap<string, string | null>,
  id: string,
  options: ResolveCampaignIdOptions = {},
): string {
  const follow = options.follow ?? (() => true);
  const seen = new Set([id]);
  let current = id;
  for (let depth = 0; depth < MAX_MERGE_DEPTH; depth++) {
    const next = mergedInto.get(current);
    if (next === null || next === undefined || seen.has(next) || !mergedInto.has(next)) break;
    if (!follow(next)) break;
    seen.add(next);
    current = next;
  }
  return current;
}
