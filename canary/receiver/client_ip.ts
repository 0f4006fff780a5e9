import { BlockList, isIP } from "node:net";

/** Answers whether an address belongs to the trusted proxies (a CIDR list). */
export interface ProxyMatcher {
  isTrusted(ip: string): boolean;
}

/**
 * Builds a matcher from CIDR blocks ("10.0.0.0/8", "2001:db8::/32", or a bare
 * address for one host). IPv4-mapped IPv6 peers match their IPv4 blocks.
 *
 * @throws {SyntaxError} when an entry is not an address or CIDR block
 */
export function createProxyMatcher(cidrs: readonly string[]): ProxyMatcher {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [addr, bits] = cidr.split("/");
    const family = isIP(addr);
    if (family === 0) {
      throw new SyntaxError(`Cannot read trusted proxy: expected a CIDR block, got "${cidr}"`);
    }
    const type = family === 4 ? "ipv4" : "ipv6";
    const prefix = bits === undefined ? (family === 4 ? 32 : 128) : Number(bits);
    list.addSubnet(addr, prefix, type);
  }
  return {
    isTrusted(ip: string): boolean {
      const family = isIP(ip);
      if (family === 0 || cidrs.length === 0) return false;
      return list.check(ip, family === 4 ? "ipv4" : "ipv6");
    },
  };
}

/**
 * The address to record for a request: the peer's, unless the peer is a
 * trusted proxy, in which case X-Forwarded-For is walked from the right past
 * trusted hops to the first one that is not (anyone else could forge it).
 *
 * @example
 * ```ts
 * const proxies = createProxyMatcher(["10.0.0.0/8"]);
 * resolveClientIp("10.0.0.2", "198.51.100.7, 10.0.0.9", proxies); // "198.51.100.7"
 * ```
 */
export function resolveClientIp(
  peerIp: string,
  forwardedFor: string | null,
  proxies: ProxyMatcher,
): string {
  let client = normalizeIp(peerIp);
  if (forwardedFor === null || !proxies.isTrusted(client)) return client;
  const hops = forwardedFor.split(",").map((s) => s.trim()).filter((s) => s !== "");
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeIp(stripPort(hops[i]));
    if (isIP(hop) === 0) break;
    client = hop;
    if (!proxies.isTrusted(hop)) break;
  }
  return client;
}

/** "::ffff:192.0.2.1" -> "192.0.2.1"; other addresses unchanged. */
export function normalizeIp(ip: string): string {
  // Every query and connection comes through here: only "::..." can be a mapped address.
  if (ip.charCodeAt(0) !== 0x3a) return ip;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return mapped ? mapped[1] : ip;
}

function stripPort(hop: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hop);
  if (bracketed) return bracketed[1];
  const v4 = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(hop);
  return v4 ? v4[1] : hop;
}
