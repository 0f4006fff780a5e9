/**
 * Passive TCP/IP fingerprints of the clients that send SYNs to deckies:
 * frame decoding, IP-ID/ISN sequence classes, per-source deduplication and a
 * p0f-style OS guess. Pure code; the capture process feeds it frames and
 * hands the {@linkcode TcpFingerprint} events on.
 *
 * @module
 */
export {
  classifySequence,
  IP_ID_MODULUS,
  ISN_MODULUS,
  MAX_INCREMENT,
  MIN_SEQUENCE_SAMPLES,
} from "./classify_sequence.ts";
export { guessOs, UNKNOWN_OS } from "./guess_os.ts";
export { OS_SIGNATURES } from "./os_signatures.ts";
export type { OsSignature } from "./os_signatures.ts";
export { LINK_TYPES, parseSynFrame } from "./parse_syn_frame.ts";
export { parseTcpOptions } from "./parse_tcp_options.ts";
export type { SynPacket, TcpOptions } from "./syn_packet.ts";
export { DEFAULT_MAX_SOURCES, SEQUENCE_WINDOW, SynTracker } from "./syn_tracker.ts";
export type { SynTrackerOptions } from "./syn_tracker.ts";
export { SEQUENCE_CLASSES } from "./tcp_fingerprint.ts";
export type { SequenceClass, TcpFingerprint } from "./tcp_fingerprint.ts";
export { tosFields } from "./tos_fields.ts";
export type { TosFields } from "./tos_fields.ts";
export { hopDistance, initialTtl, MAX_HOP_DISTANCE } from "./ttl_hops.ts";
export { mergeTcpSnapshot } from "./tcp_stack_snapshot.ts";
export type { TcpStackSnapshot } from "./tcp_stack_snapshot.ts";
export { parseTcpFingerprint } from "./parse_tcp_fingerprint.ts";
export { parseTcpProbe } from "./tcp_probe.ts";
export type { ProbePortState, TcpProbe, TcpProbePort } from "./tcp_probe.ts";
