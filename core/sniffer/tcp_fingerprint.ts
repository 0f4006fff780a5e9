/** How a source's IP-ID or ISN values move over its recent SYNs. */
export type SequenceClass = "unknown" | "zero" | "constant" | "incremental" | "random";

/** The sequence classes, in the order the classifier tries them. */
export const SEQUENCE_CLASSES: readonly SequenceClass[] = Object.freeze([
  "unknown",
  "zero",
  "constant",
  "incremental",
  "random",
]);

/**
 * One TCP stack fingerprint of a source, emitted when its dedupe key
 * (os_guess, options, dscp, ipid_class, isn_class) changes. The one wire
 * shape for the journal, the bus and the attacker record (snake_case); a
 * type alias, not an interface, so it is assignable to the bus's JSON payload type.
 */
export type TcpFingerprint = {
  src_ip: string;
  /** The decky address the SYN was sent to. */
  decky: string;
  dst_port: number;
  ttl: number;
  /** Next of 32/64/128/255 at or above ttl. */
  initial_ttl: number;
  /** initial_ttl - ttl, clamped to 0-64. */
  hop_distance: number;
  window: number;
  mss: number | null;
  wscale: number | null;
  /** Options order and kinds, p0f v3 spelling ("mss,nop,ws,sok,ts"). */
  options: string;
  has_sack: boolean;
  has_timestamps: boolean;
  /** The TOS byte as a decimal string ("42"). */
  tos: string;
  /** (tos >> 2) & 63. */
  dscp: number;
  /** tos & 3. */
  ecn: number;
  /** Signature label, e.g. "Linux 3.11+", "nmap SYN scan", or "unknown". */
  os_guess: string;
  ipid_class: SequenceClass;
  /** How many SYNs the IP-ID class was computed over (at most 8). */
  ipid_samples: number;
  isn_class: SequenceClass;
  isn_samples: number;
  /** SYNs with the previous key seen since the previous event of this source. */
  repeats: number;
  /** ISO 8601 time of the SYN that caused the event. */
  occurred_at: string;
};
