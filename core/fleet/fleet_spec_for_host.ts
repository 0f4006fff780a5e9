import type { FleetSpec } from "./fleet_spec.ts";

/**
 * The part of a fleet that one host runs: the deckies whose `host` is
 * `host`, on the same network; `null` is the master's own Docker (deckies
 * with no `host`), so a fleet file without `host` keys is whole for it.
 *
 * @param spec the parsed fleet file
 * @param host a swarm host's name, or null for the master's own deckies
 * @returns the same network and only that host's deckies (possibly none)
 * @example
 * ```ts
 * import { parseFleetSpec } from "./fleet_spec.ts";
 * import { fleetSpecForHost } from "./fleet_spec_for_host.ts";
 * const spec = parseFleetSpec("[decky a]\nservices = ssh\nimage = alpine:3\nhost = dmz-1\n");
 * fleetSpecForHost(spec, "dmz-1").deckies.length; // 1
 * fleetSpecForHost(spec, null).deckies.length; // 0
 * ```
 */
export function fleetSpecForHost(spec: FleetSpec, host: string | null): FleetSpec {
  return { network: spec.network, deckies: spec.deckies.filter((d) => d.host === host) };
}
