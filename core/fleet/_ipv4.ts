const IPV4_REGEXP = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The address as a 32-bit number, or undefined when it is not dotted-quad IPv4. */
export function ipv4ToNumber(text: string): number | undefined {
  const m = IPV4_REGEXP.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

/** `a.b.c.d/n` taken apart, or undefined when malformed. */
export function parseCidr(text: string): { base: number; bits: number } | undefined {
  const [address, bitsText, ...rest] = text.split("/");
  if (rest.length || bitsText === undefined || !/^\d{1,2}$/.test(bitsText)) return undefined;
  const base = ipv4ToNumber(address);
  const bits = Number(bitsText);
  if (base === undefined || bits > 32) return undefined;
  return { base, bits };
}

/** Whether `ip` lies inside `cidr`. */
export function cidrContains(cidr: { base: number; bits: number }, ip: number): boolean {
  if (cidr.bits === 0) return true;
  const mask = (0xffffffff << (32 - cidr.bits)) >>> 0;
  return ((cidr.base & mask) >>> 0) === ((ip & mask) >>> 0);
}
