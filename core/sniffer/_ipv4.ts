/** An IPv4 dotted quad, nothing else (filter text and snapshot entries are built from these). */
export const IPV4_REGEXP =
  /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** The address as an unsigned 32-bit number, or null when it is not a dotted quad. */
export function ipv4Number(ip: string): number | null {
  if (!IPV4_REGEXP.test(ip)) return null;
  const p = ip.split(".").map(Number);
  return ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0;
}
