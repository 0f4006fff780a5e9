import type { RunningDecky } from "../db/mod.ts";

/**
 * The deckies an SSH session from `src` may go to: the others on the same
 * host (this host's Docker, or the same swarm agent). Deckies on different
 * hosts are never paired: their networks are separate even where their
 * addresses look alike, so such a session would either fail or reach the
 * wrong machine, and an intruder on either end would see traffic no real LAN
 * could carry. Pure.
 *
 * @param src the source decky
 * @param deckies candidates (may include `src`)
 * @param hostOf where a decky runs: null for this host, else its swarm host
 * @returns the candidates on `src`'s host, `src` left out
 * @example
 * ```ts
 * import type { RunningDecky } from "../db/mod.ts";
 * import { sameHostPeers } from "./same_host_peers.ts";
 * declare const src: RunningDecky, deckies: RunningDecky[];
 * const peers = sameHostPeers(src, deckies, (d) => d.hostUuid === "dmz-1" ? "dmz-1" : null);
 * ```
 */
export function sameHostPeers(
  src: RunningDecky,
  deckies: readonly RunningDecky[],
  hostOf: (decky: RunningDecky) => string | null,
): RunningDecky[] {
  const host = hostOf(src);
  return deckies.filter((d) => d.uuid !== src.uuid && hostOf(d) === host);
}
