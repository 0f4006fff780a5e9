/**
 * One attacker observation: what the clusterer knows about one address.
 * This is the input contract of `decnet cluster` (one JSON object per line)
 * and what the clusterer worker builds from attacker records, so the field
 * names are the wire's snake_case. Every field but `ip` may be absent: the
 * rules use what is there.
 */
export interface Observation {
  /** The attacker's address (the only required field). */
  ip: string;
  /** Autonomous system number of the address. */
  asn?: number;
  /** TLS client fingerprints (JA3). */
  ja3?: readonly string[];
  /** SSH client fingerprints (HASSH). */
  hassh?: readonly string[];
  /** Passive TCP/IP stack fingerprint of the address's SYNs. */
  tcp_fingerprint?: string;
  /** Client software seen (user agents, SSH client idents, scanner names). */
  tools?: readonly string[];
  /** Username and secret pairs tried. */
  credentials?: readonly (readonly [string, string])[];
  /** Hashes of payloads dropped or fetched. */
  payload_hashes?: readonly string[];
  /** Command-and-control endpoints contacted or named (host:port, URL). */
  c2_endpoints?: readonly string[];
  /** Keystroke-dynamics simhash: 16 hex digits (64 bits). */
  kd_simhash?: string;
  /** Session windows, `[start, end]` in ISO 8601. */
  sessions?: readonly (readonly [string, string])[];
  /** Kill-chain phases seen, one entry per phase on a decky. */
  phases?: readonly ObservationPhase[];
}

/** One Unified Kill Chain phase an address reached on one decky, and when. */
export interface ObservationPhase {
  /** The decky's name. */
  decky: string;
  /** Phase name, snake_case (`reconnaissance`, `command_and_control`, `lateral_movement`, ...). */
  phase: string;
  /** When, ISO 8601. */
  at: string;
}
