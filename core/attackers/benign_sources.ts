import { BlockList, isIP } from "node:net";

const FAMILY = { 4: "ipv4", 6: "ipv6" } as const;

/**
 * A matcher for sources whose activity is benign: the fleet's own addresses
 * and the operator's CIDR blocks (DECNET_BENIGN_SOURCES, e.g. their scanner).
 *
 * @example
 * ```ts
 * const isBenign = benignSources(["192.0.2.11"], ["198.51.100.0/24"]);
 * isBenign("198.51.100.7"); // true
 * isBenign("203.0.113.5"); // false
 * ```
 */
export function benignSources(
  addresses: Iterable<string>,
  cidrs: readonly string[],
): (ip: string) => boolean {
  const exact = new Set(addresses);
  const blocks = new BlockList();
  for (const cidr of cidrs) {
    const [addr, bits] = cidr.split("/");
    const family = isIP(addr);
    if (family === 0) throw new SyntaxError(`Cannot read benign source: got "${cidr}"`);
    blocks.addSubnet(
      addr,
      bits === undefined ? (family === 4 ? 32 : 128) : Number(bits),
      FAMILY[family as 4 | 6],
    );
  }
  return (ip) => {
    if (exact.has(ip)) return true;
    const family = isIP(ip);
    return family !== 0 && cidrs.length > 0 && blocks.check(ip, FAMILY[family as 4 | 6]);
  };
}
