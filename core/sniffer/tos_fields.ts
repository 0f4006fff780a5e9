/** The TOS byte as the fingerprint carries it. */
export interface TosFields {
  /** Decimal string of the byte ("42"). */
  tos: string;
  /** Differentiated services code point: (tos >> 2) & 63. */
  dscp: number;
  /** Explicit congestion notification bits: tos & 3. */
  ecn: number;
}

/**
 * Splits an IPv4 TOS byte (or IPv6 traffic class) into DSCP and ECN.
 *
 * @param tos the byte, 0-255
 * @returns the decimal string, DSCP and ECN
 * @example
 * ```ts
 * tosFields(0x2a); // { tos: "42", dscp: 10, ecn: 2 }
 * ```
 */
export function tosFields(tos: number): TosFields {
  return { tos: String(tos), dscp: (tos >> 2) & 63, ecn: tos & 3 };
}
