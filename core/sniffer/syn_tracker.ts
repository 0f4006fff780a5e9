import type { SynPacket } from "./syn_packet.ts";
import type { TcpFingerprint } from "./tcp_fingerprint.ts";

/** Settings of a {@linkcode SynTracker}. */
export interface SynTrackerOptions {
  /** Most sources remembered at once; the least recently seen goes first. @default 65536 */
  maxSources?: number;
  /** SYNs per source the sequence classes look at. @default 8 */
  window?: number;
}

/** Per-source rolling state turning SYNs into deduplicated fingerprints. */
export class SynTracker {
  constructor(options: SynTrackerOptions = {}) {
    void options;
  }

  /** Records one SYN; returns an event when the source's key changed, else null. */
  observe(packet: SynPacket, now: Date): TcpFingerprint | null {
    void packet;
    void now;
    return null;
  }

  /** Repeats counted for a source since its last event (0 when unknown). */
  pendingRepeats(srcIp: string): number {
    void srcIp;
    return 0;
  }

  /** How many sources are tracked now. */
  get size(): number {
    return 0;
  }
}
