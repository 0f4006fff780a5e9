import type { FleetSpec } from "./fleet_spec.ts";

/**
 * The swarm hosts a fleet places deckies on, each once, in file order.
 *
 * @example
 * ```ts
 * import { parseFleetSpec } from "./fleet_spec.ts";
 * import { swarmHostsOf } from "./swarm_hosts_of.ts";
 * swarmHostsOf(parseFleetSpec("[decky a]\nservices = ssh\nimage = alpine:3\nhost = dmz-1\n")); // ["dmz-1"]
 * ```
 */
export function swarmHostsOf(spec: FleetSpec): string[] {
  return [...new Set(spec.deckies.flatMap((d) => d.host === null ? [] : [d.host]))];
}
