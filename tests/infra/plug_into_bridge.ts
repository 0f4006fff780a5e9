import { mustRunIp } from "./run_ip.ts";

/**
 * Gives namespace `ns` an `eth0` with `cidr`, whose host end `hostEnd` is a
 * port of `bridge`: the one way the test LANs attach a machine, so a
 * namespace on Docker's bridge and one on a test bridge are wired alike.
 *
 * @example
 * ```ts
 * import { plugIntoBridge } from "./plug_into_bridge.ts";
 * await plugIntoBridge("dbn7", "dbv7", "br-0123456789ab", "192.0.2.200/24");
 * ```
 */
export async function plugIntoBridge(
  ns: string,
  hostEnd: string,
  bridge: string,
  cidr: string,
): Promise<void> {
  await mustRunIp(["link", "add", hostEnd, "type", "veth", "peer", "name", "eth0", "netns", ns]);
  await mustRunIp(["link", "set", hostEnd, "master", bridge]);
  await mustRunIp(["link", "set", hostEnd, "up"]);
  await mustRunIp(["-n", ns, "addr", "add", cidr, "dev", "eth0"]);
  await mustRunIp(["-n", ns, "link", "set", "eth0", "up"]);
}
