/**
 * Parsers for environment values. Each returns the value or throws a
 * RangeError/SyntaxError whose message says what was expected; the caller
 * adds the variable name and an example.
 */

/** A TCP/UDP port; 0 means "pick a free one". */
export function parsePort(raw: string): number {
  return parseIntInRange(raw, 0, 65535);
}

/** A comma-separated list of 1 to `max` distinct ports 1-65535 (`22,80,443`). */
export function parsePortList(raw: string, max: number): number[] {
  const items = raw.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (items.length === 0 || items.length > max) {
    throw new RangeError(`expected 1-${max} comma-separated ports`);
  }
  const ports = items.map((item) => parseIntInRange(item, 1, 65535));
  if (new Set(ports).size !== ports.length) throw new SyntaxError("expected distinct ports");
  return ports;
}

/** A whole number within [min, max]. */
export function parseIntInRange(raw: string, min: number, max: number): number {
  const trimmed = raw.trim();
  if (!/^-?\d+$/.test(trimmed)) throw new SyntaxError(`expected a whole number ${min}-${max}`);
  const n = Number(trimmed);
  if (n < min || n > max) throw new RangeError(`expected ${min}-${max}`);
  return n;
}

const DURATION_REGEXP = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/;
const DURATION_UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };

/** A duration in seconds: `90`, `90s`, `15m`, `4h`, `1d`, `500ms`. */
export function parseDurationSeconds(raw: string, min: number, max: number): number {
  const match = DURATION_REGEXP.exec(raw.trim());
  if (!match) throw new SyntaxError("expected a duration such as 60, 60s, 15m or 4h");
  const seconds = Number(match[1]) * DURATION_UNITS[match[2] ?? "s"];
  if (seconds < min || seconds > max) {
    throw new RangeError(`expected between ${min} s and ${max} s`);
  }
  return seconds;
}

/** A boolean: 1/0, true/false, yes/no, on/off. */
export function parseBoolean(raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(v)) return true;
  if (["0", "false", "no", "off"].includes(v)) return false;
  throw new SyntaxError("expected true or false");
}

/** One of a fixed set of words (case-insensitive). */
export function parseChoice<T extends string>(raw: string, choices: readonly T[]): T {
  const v = raw.trim().toLowerCase();
  const found = choices.find((c) => c === v);
  if (found === undefined) throw new RangeError(`expected one of ${choices.join(", ")}`);
  return found;
}

const IPV4_REGEXP = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Whether `text` is a dotted-quad IPv4 address. */
export function isIpv4(text: string): boolean {
  return IPV4_REGEXP.test(text);
}

/** Whether `text` is an IPv6 address (as the URL parser accepts it). */
export function isIpv6(text: string): boolean {
  if (!text.includes(":")) return false;
  try {
    new URL(`http://[${text}]/`);
    return true;
  } catch {
    return false;
  }
}

/** An address to bind: IPv4, IPv6, or a host name such as localhost. */
export function parseBindAddress(raw: string): string {
  const v = raw.trim();
  if (isIpv4(v) || isIpv6(v) || /^[a-zA-Z0-9]([a-zA-Z0-9.-]{0,251}[a-zA-Z0-9])?$/.test(v)) return v;
  throw new SyntaxError("expected an IP address or host name");
}

/** An IPv4 address. */
export function parseIpv4(raw: string): string {
  const v = raw.trim();
  if (!isIpv4(v)) throw new SyntaxError("expected an IPv4 address");
  return v;
}

/** IPv4 blocks no real zone answers with: this network, loopback, link-local, IETF, documentation, benchmarking, multicast, reserved. */
const RESERVED_IPV4: readonly [number, number][] = [
  [0x00000000, 8],
  [0x7f000000, 8],
  [0xa9fe0000, 16],
  [0xc0000000, 24],
  [0xc0000200, 24],
  [0xc6120000, 15],
  [0xc6336400, 24],
  [0xcb007100, 24],
  [0xe0000000, 4],
  [0xf0000000, 4],
];

/** Whether an IPv4 address lies in a block no real zone answers with (loopback, documentation…). */
export function isReservedIpv4(address: string): boolean {
  const n = address.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
  return RESERVED_IPV4.some(([base, bits]) =>
    Math.floor(n / 2 ** (32 - bits)) === base / 2 ** (32 - bits)
  );
}

/**
 * An IPv4 address a real zone could answer with: loopback, documentation
 * and other reserved blocks are refused unless `allowReserved` (tests).
 */
export function parsePublicIpv4(raw: string, allowReserved: boolean): string {
  const v = parseIpv4(raw);
  if (!allowReserved && isReservedIpv4(v)) {
    throw new RangeError(
      "expected an address real clients can reach (loopback, documentation and other reserved blocks are refused unless DECNET_CANARY_ALLOW_LOCAL=true)",
    );
  }
  return v;
}

/** A comma-separated list of IPv4/IPv6 CIDR blocks (a bare address means /32 or /128). */
export function parseCidrList(raw: string): string[] {
  const items = raw.split(",").map((s) => s.trim()).filter((s) => s !== "");
  for (const item of items) {
    const [addr, bits, extra] = item.split("/");
    if (extra !== undefined) throw new SyntaxError(`"${item}" is not a CIDR block`);
    const max = isIpv4(addr) ? 32 : isIpv6(addr) ? 128 : -1;
    if (max < 0) throw new SyntaxError(`"${item}" is not an IP address or CIDR block`);
    if (bits !== undefined && (!/^\d+$/.test(bits) || Number(bits) > max)) {
      throw new RangeError(`"${item}" has a prefix length outside 0-${max}`);
    }
  }
  return items;
}

/** An http(s) URL without a trailing slash. */
export function parseHttpBase(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new SyntaxError("expected an absolute http:// or https:// URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new SyntaxError("expected an http:// or https:// URL");
  }
  if (url.search || url.hash) throw new SyntaxError("expected no query string or fragment");
  const base = url.toString().replace(/\/+$/, "");
  // Every token row keeps its base (canary_tokens.http_base holds 512).
  if (base.length > 512) throw new RangeError("expected a URL of at most 512 characters");
  return base;
}

const DNS_NAME_REGEXP = /^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*$/;

/** A DNS zone such as `cdn.example.net` (lower-cased, no trailing dot); empty allowed. */
export function parseDnsZone(raw: string): string {
  const v = raw.trim().toLowerCase().replace(/\.$/, "");
  if (v === "") return "";
  // 200, not DNS's 253: bait names put a slug label and more below the zone.
  if (v.length > 200) throw new RangeError("expected a DNS name of at most 200 characters");
  if (!DNS_NAME_REGEXP.test(v)) throw new SyntaxError("expected a DNS name such as t.example.net");
  return v;
}

/** Bytes: `25MiB`, `512KiB`, `1048576`. */
export function parseByteSize(raw: string, min: number, max: number): number {
  const match = /^(\d+)\s*(B|KiB|MiB|GiB|KB|MB|GB)?$/i.exec(raw.trim());
  if (!match) throw new SyntaxError("expected a size such as 25MiB or 1048576");
  const unit = (match[2] ?? "B").toLowerCase();
  const factor: Record<string, number> = {
    b: 1,
    kib: 1024,
    kb: 1000,
    mib: 1024 ** 2,
    mb: 1000 ** 2,
    gib: 1024 ** 3,
    gb: 1000 ** 3,
  };
  const bytes = Number(match[1]) * factor[unit];
  if (bytes < min || bytes > max) throw new RangeError(`expected ${min}-${max} bytes`);
  return bytes;
}

/** A comma-separated list of words from a fixed set. */
export function parseChoiceList<T extends string>(raw: string, choices: readonly T[]): T[] {
  return raw.split(",").map((s) => s.trim()).filter((s) => s !== "").map((s) =>
    parseChoice(s, choices)
  );
}
