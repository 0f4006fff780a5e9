import type { RunningDecky } from "../db/mod.ts";

/** How long the deckies of a swarm host that did not answer are left alone. */
export const AGENT_REST_MS = 60_000;

/** What the orchestrator knows of a swarm host. */
export interface PlacementHost {
  name: string;
  /** The agent redeemed its join token. */
  joined: boolean;
  revoked: boolean;
}

/** Options for {@linkcode placeDeckies}. */
export interface PlaceDeckiesOptions {
  /** The swarm's hosts (any state). */
  hosts: readonly PlacementHost[];
  /** Whether this orchestrator can send agents commands (the swarm's NATS is configured). */
  canCommand: boolean;
  /** Hosts that did not answer lately, with the time until which they are left alone. */
  resting: ReadonlyMap<string, Date>;
  now: Date;
}

/** A decky and where its actions go: null for this host's Docker, else the swarm host. */
export interface PlacedDecky {
  decky: RunningDecky;
  host: string | null;
}

/** Deckies of a swarm host this tick leaves alone, and why. */
export interface SkippedHost {
  host: string;
  reason: string;
  deckies: string[];
}

/**
 * Where each running decky's actions go this tick, and which are left out.
 * A decky whose row belongs to a swarm host (its host is the host's name)
 * is acted on through that host's agent, unless the agent cannot be
 * commanded now: revoked, not joined, no swarm connection here, or resting
 * after it did not answer (until its rest is over). Every other decky is this
 * host's. Pure: the clock is a parameter.
 *
 * @param deckies the running deckies (the union view)
 * @param options the swarm's hosts, whether commands can be sent, resting hosts and now
 * @returns the deckies to schedule, each with its host, and the hosts left out
 * @example
 * ```ts
 * import type { RunningDecky } from "../db/mod.ts";
 * import { placeDeckies } from "./place_deckies.ts";
 * declare const deckies: RunningDecky[];
 * const { placed, skipped } = placeDeckies(deckies, {
 *   hosts: [{ name: "dmz-1", joined: true, revoked: false }],
 *   canCommand: true, resting: new Map(), now: new Date(),
 * });
 * ```
 */
export function placeDeckies(
  deckies: readonly RunningDecky[],
  options: PlaceDeckiesOptions,
): { placed: PlacedDecky[]; skipped: SkippedHost[] } {
  const hosts = new Map(options.hosts.map((h) => [h.name, h]));
  const placed: PlacedDecky[] = [];
  const skipped = new Map<string, SkippedHost>();
  for (const decky of deckies) {
    const host = hosts.get(decky.hostUuid);
    if (!host) {
      placed.push({ decky, host: null });
      continue;
    }
    const reason = whyNot(host, options);
    if (reason === null) {
      placed.push({ decky, host: host.name });
      continue;
    }
    const entry = skipped.get(host.name) ?? { host: host.name, reason, deckies: [] };
    entry.deckies.push(decky.name);
    skipped.set(host.name, entry);
  }
  return { placed, skipped: [...skipped.values()] };
}

function whyNot(host: PlacementHost, options: PlaceDeckiesOptions): string | null {
  if (host.revoked) return "revoked";
  if (!host.joined) return "not joined";
  if (!options.canCommand) {
    return "no swarm connection (DECNET_SWARM_NATS_URL, DECNET_SWARM_NATS_CA)";
  }
  const until = options.resting.get(host.name);
  if (until && until > options.now) {
    return `no answer lately; left alone until ${until.toISOString()}`;
  }
  return null;
}
