/** The parts of a Docker network that say where its traffic crosses the host. */
export interface DockerNetworkLike {
  id: string;
  driver: string;
  options: Record<string, string>;
}

/** Docker's option naming a bridge network's Linux bridge (absent: `br-` and 12 of the id). */
const BRIDGE_NAME_OPTION = "com.docker.network.bridge.name";

/**
 * The host interface a sniffer captures a Docker network's deckies on: the
 * Linux bridge of a bridge network, the `parent` of a macvlan or ipvlan
 * network (which holds no address of the LAN when the operator gave the
 * deckies an interface of their own). Null when the traffic never crosses
 * a host interface (a macvlan without parent, overlay, host, none).
 *
 * @example
 * ```ts
 * networkHostInterface({ id: "0123456789abcdef", driver: "macvlan", options: { parent: "eth1" } }); // "eth1"
 * networkHostInterface({ id: "0123456789abcdef", driver: "bridge", options: {} }); // "br-0123456789ab"
 * ```
 */
export function networkHostInterface(network: DockerNetworkLike): string | null {
  if (network.driver === "bridge") {
    return network.options[BRIDGE_NAME_OPTION] || `br-${network.id.slice(0, 12)}`;
  }
  if (network.driver === "macvlan" || network.driver === "ipvlan") {
    return network.options.parent || null;
  }
  return null;
}
