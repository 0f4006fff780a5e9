const IPV4_REGEXP = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/;
const MAPPED_IPV4_REGEXP = /^::ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i;
const IPV6_REGEXP = /^[0-9a-f:]+$/i;

/**
 * The network a source address belongs to for rollups: its /24 (IPv4) or
 * /64 (IPv6), the blocks a spoofing flood or one operator's hosts share.
 * Anything else (never expected: receivers store addresses) is returned as
 * it is, cut to 64 characters, so it still counts under a label.
 *
 * @param ip the source address as stored (`198.51.100.7`, `2001:db8::1`)
 * @returns the prefix in CIDR notation
 *
 * @example
 * ```ts
 * sourcePrefix("198.51.100.7"); // "198.51.100.0/24"
 * sourcePrefix("2001:db8:1:2:3::9"); // "2001:db8:1:2::/64"
 * ```
 */
export function sourcePrefix(ip: string): string {
  const mapped = MAPPED_IPV4_REGEXP.exec(ip);
  const v4 = IPV4_REGEXP.exec(mapped ? mapped[1] : ip);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  const groups = IPV6_REGEXP.test(ip) ? expandIpv6(ip) : null;
  if (groups) return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
  return ip.slice(0, 64);
}

function expandIpv6(ip: string): string[] | null {
  const halves = ip.toLowerCase().split("::");
  if (halves.length > 2) return null;
  const head = halves[0] === "" ? [] : halves[0].split(":");
  const tail = halves.length === 2 && halves[1] !== "" ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  return groups.every((g) => /^[0-9a-f]{1,4}$/.test(g)) ? groups : null;
}
