import { IPV4_REGEXP } from "./_ipv4.ts";

/**
 * The kernel (BPF) filter for client SYNs to `addresses`: SYN set, ACK
 * clear, destination one of them. No address means no packet.
 *
 * @throws {TypeError} when an address is not IPv4 (it would change the filter's meaning)
 * @example
 * ```ts
 * synFilter(["192.0.2.10", "192.0.2.11"]);
 * // "tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn and dst host (192.0.2.10 or 192.0.2.11)"
 * ```
 */
export function synFilter(addresses: readonly string[]): string {
  for (const a of addresses) {
    if (!IPV4_REGEXP.test(a)) {
      throw new TypeError(`Cannot build capture filter: expected IPv4 addresses, got "${a}"`);
    }
  }
  // "less 0" matches nothing: an interface without deckies captures nothing until it gets one.
  if (addresses.length === 0) return "less 0";
  return `tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn and dst host (${addresses.join(" or ")})`;
}
