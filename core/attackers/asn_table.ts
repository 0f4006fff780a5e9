import { isIP } from "node:net";

/** The autonomous system an address belongs to. */
export interface AsnInfo {
  asn: number;
  name: string;
  /** Two-letter country code, or "" when the table has none. */
  country: string;
}

interface Range {
  start: bigint;
  end: bigint;
  info: AsnInfo;
}

/**
 * An offline IP-to-ASN table (the operator's file; nothing is downloaded):
 * tab-separated `range_start range_end AS_number country AS_description`
 * lines, the ip2asn format, IPv4 and IPv6; rows with AS 0 (not routed) are
 * skipped. Lookups are binary searches over the sorted ranges.
 *
 * @example
 * ```ts
 * const table = AsnTable.parse("198.51.100.0\t198.51.100.255\t64500\tZZ\tEXAMPLE-NET\n");
 * table.lookup("198.51.100.7"); // { asn: 64500, name: "EXAMPLE-NET", country: "ZZ" }
 * ```
 */
export class AsnTable {
  readonly #v4: Range[];
  readonly #v6: Range[];

  private constructor(v4: Range[], v6: Range[]) {
    this.#v4 = v4;
    this.#v6 = v6;
  }

  /** Ranges in the table. */
  get size(): number {
    return this.#v4.length + this.#v6.length;
  }

  /**
   * Reads the table's text.
   * @throws {SyntaxError} naming the line that is not a range of one family with an AS number
   */
  static parse(text: string): AsnTable {
    const v4: Range[] = [];
    const v6: Range[] = [];
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].replace(/\r$/, "");
      if (line.trim() === "" || line.startsWith("#")) continue;
      const [start, end, asn, country = "", ...name] = line.split("\t");
      const family = isIP(start);
      const number = Number(asn);
      if (family === 0 || isIP(end) !== family || !Number.isInteger(number) || number < 0) {
        throw new SyntaxError(
          `Cannot read ASN table line ${
            i + 1
          }: expected "start<TAB>end<TAB>asn<TAB>country<TAB>name", got "${line.slice(0, 80)}"`,
        );
      }
      if (number === 0) continue;
      const range = {
        start: addressValue(start),
        end: addressValue(end),
        info: { asn: number, name: name.join("\t"), country: country === "None" ? "" : country },
      };
      (family === 4 ? v4 : v6).push(range);
    }
    const byStart = (a: Range, b: Range) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0);
    return new AsnTable(v4.sort(byStart), v6.sort(byStart));
  }

  /** The AS of `ip`, or undefined when no range holds it. */
  lookup(ip: string): AsnInfo | undefined {
    const family = isIP(ip);
    if (family === 0) return undefined;
    const ranges = family === 4 ? this.#v4 : this.#v6;
    const value = addressValue(ip);
    let lo = 0;
    let hi = ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (ranges[mid].start <= value) lo = mid + 1;
      else hi = mid - 1;
    }
    const range = ranges[hi];
    return range && value <= range.end ? range.info : undefined;
  }
}

function addressValue(ip: string): bigint {
  if (isIP(ip) === 4) {
    return ip.split(".").reduce((n, part) => (n << 8n) + BigInt(Number(part)), 0n);
  }
  const [head, tail = ""] = ip.split("::");
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const left = groups(head);
  const right = groups(tail);
  const full = ip.includes("::")
    ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right]
    : left;
  return full.reduce((n, g) => (n << 16n) + BigInt(parseInt(g, 16)), 0n);
}
