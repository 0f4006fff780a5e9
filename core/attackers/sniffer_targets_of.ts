import { type DockerNetworkLike, networkHostInterface } from "../sniffer/network_host_interface.ts";
import type { SnifferTarget } from "../sniffer/sniffer_targets.ts";

/** A decky as the fleet records it (the parts the sniffer needs). */
export interface TargetDecky {
  name: string;
  ip: string | null;
  state: string;
  /** Its Docker network's name; null when not recorded. */
  network: string | null;
}

/**
 * The sniffer's targets among `deckies`: the running (or degraded) ones with
 * an address, each with the host interface of its Docker network when that
 * network is listed (its bridge, or its macvlan/ipvlan parent), so a
 * parent holding no address of the LAN is still captured on.
 *
 * @example
 * ```ts
 * snifferTargetsOf(
 *   [{ name: "ws-01", ip: "192.0.2.10", state: "running", network: "decoys" }],
 *   [{ name: "decoys", id: "0123456789abcdef", driver: "macvlan", options: { parent: "eth1" } }],
 * ); // [{ name: "ws-01", ip: "192.0.2.10", interface: "eth1" }]
 * ```
 */
export function snifferTargetsOf(
  deckies: readonly TargetDecky[],
  networks: readonly (DockerNetworkLike & { name: string })[],
): SnifferTarget[] {
  const hostInterface = new Map(networks.map((n) => [n.name, networkHostInterface(n)]));
  return deckies.flatMap((d) => {
    if (!d.ip || (d.state !== "running" && d.state !== "degraded")) return [];
    const iface = d.network ? hostInterface.get(d.network) : null;
    return [iface ? { name: d.name, ip: d.ip, interface: iface } : { name: d.name, ip: d.ip }];
  });
}
