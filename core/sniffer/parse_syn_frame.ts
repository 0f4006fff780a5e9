import type { SynPacket } from "./syn_packet.ts";

/** libpcap link types this parser understands (DLT_* numbers). */
export const LINK_TYPES = Object.freeze({
  ETHERNET: 1,
  RAW: 12,
  RAW_101: 101,
  LINUX_SLL: 113,
  LINUX_SLL2: 276,
});

/**
 * Decodes a captured frame into a {@linkcode SynPacket} when it is a pure
 * client SYN (SYN set, ACK clear); anything else, truncated or garbage gives null.
 */
export function parseSynFrame(frame: Uint8Array, linkType: number): SynPacket | null {
  void frame;
  void linkType;
  return null;
}
