import { ipv4Number } from "./_ipv4.ts";
import type { SnifferTarget } from "./sniffer_targets.ts";

/** One host interface address, as `Deno.networkInterfaces()` lists it. */
export interface HostAddress {
  name: string;
  family: "IPv4" | "IPv6";
  /** `address/prefix`. */
  cidr: string;
}

/**
 * Which host interface to capture on for each decky, and for which
 * addresses: the interface its target names (the fleet network's bridge or
 * macvlan/ipvlan parent, which need not hold any address: a parent
 * dedicated to the deckies' LAN often has none); otherwise the interface
 * holding an IPv4 network that contains the decky's address, the longest
 * prefix winning. That is the bridge for a bridge network (Docker puts the
 * gateway on it) and the parent for macvlan when it holds an address of the
 * LAN. Loopback never counts. Deckies placed neither way are listed under
 * `unplaced`.
 *
 * @example
 * ```ts
 * capturePlan([{ name: "ws-01", ip: "192.0.2.10" }], [{ name: "br-1", family: "IPv4", cidr: "192.0.2.1/24" }]);
 * // { interfaces: Map { "br-1" => ["192.0.2.10"] }, unplaced: [] }
 * ```
 */
export function capturePlan(
  targets: readonly SnifferTarget[],
  addresses: readonly HostAddress[],
): { interfaces: Map<string, string[]>; unplaced: SnifferTarget[] } {
  const networks = addresses.flatMap((a) => {
    if (a.family !== "IPv4" || a.name === "lo") return [];
    const [ip, prefix] = a.cidr.split("/");
    const bits = Number(prefix);
    const address = ipv4Number(ip);
    if (address === null || !(bits >= 1 && bits <= 32)) return [];
    const mask = bits === 32 ? 0xffffffff : ~(0xffffffff >>> bits) >>> 0;
    return [{ name: a.name, bits, mask, base: (address & mask) >>> 0 }];
  });
  const interfaces = new Map<string, string[]>();
  const unplaced: SnifferTarget[] = [];
  for (const target of targets) {
    const name = target.interface ?? holderOf(networks, ipv4Number(target.ip));
    if (!name) {
      unplaced.push(target);
      continue;
    }
    const list = interfaces.get(name) ?? [];
    if (!list.includes(target.ip)) list.push(target.ip);
    interfaces.set(name, list);
  }
  for (const list of interfaces.values()) list.sort();
  return { interfaces, unplaced };
}

/** The interface whose network holds `ip`, the longest prefix winning; null when none does. */
function holderOf(
  networks: readonly { name: string; bits: number; mask: number; base: number }[],
  ip: number | null,
): string | null {
  let best: { name: string; bits: number } | null = null;
  for (const n of networks) {
    if (ip === null || ((ip & n.mask) >>> 0) !== n.base) continue;
    if (!best || n.bits > best.bits) best = n;
  }
  return best?.name ?? null;
}
