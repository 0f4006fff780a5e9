import type { SynPacket } from "./syn_packet.ts";

/** Names the OS or tool behind a SYN from the signature table, or "unknown". */
export function guessOs(packet: SynPacket): string {
  void packet;
  return "unknown";
}
