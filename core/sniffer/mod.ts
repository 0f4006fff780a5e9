/**
 * Passive TCP/IP fingerprints of the clients that send SYNs to deckies:
 * frame decoding, IP-ID/ISN sequence classes, per-source deduplication and a
 * p0f-style OS guess. Pure code; the capture process feeds it frames.
 *
 * @module
 */
export { classifySequence, MAX_INCREMENT, MIN_SEQUENCE_SAMPLES } from "./classify_sequence.ts";
export { guessOs } from "./guess_os.ts";
export { LINK_TYPES, parseSynFrame } from "./parse_syn_frame.ts";
export type { SynPacket, TcpOptions } from "./syn_packet.ts";
export { SynTracker } from "./syn_tracker.ts";
export type { SynTrackerOptions } from "./syn_tracker.ts";
export { SEQUENCE_CLASSES } from "./tcp_fingerprint.ts";
export type { SequenceClass, TcpFingerprint } from "./tcp_fingerprint.ts";
