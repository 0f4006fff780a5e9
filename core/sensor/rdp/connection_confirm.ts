import type { RdpConnectionRequest } from "./parse_connection_request.ts";

/** Security protocol identifiers (MS-RDPBCGR 2.2.1.1.1). */
export const RDP_PROTOCOL = Object.freeze({
  rdp: 0x0,
  ssl: 0x1,
  hybrid: 0x2,
  rdstls: 0x4,
  hybridEx: 0x8,
});

/** The server's answer to a Connection Request, and what it means for the rest of the connection. */
export interface RdpConnectionConfirm {
  bytes: Uint8Array;
  /**
   * `hybrid`/`hybridEx`: TLS then CredSSP follow; `legacy`: Standard RDP
   * Security (the server stops at the next PDU); `refused`: a negotiation
   * failure was sent and the connection ends.
   */
  next: "hybrid" | "hybridEx" | "legacy" | "refused";
}

// Extended client data, graphics pipeline, reserved, restricted admin and
// redirected authentication supported: what Windows Server 2016 and later set.
const WINDOWS_RSP_FLAGS = 0x1f;
const HYBRID_REQUIRED_BY_SERVER = 0x5;

/**
 * The X.224 Connection Confirm a Windows Server that requires Network
 * Level Authentication (the default since 2012) sends: CredSSP selected
 * (HYBRID_EX when offered, as Windows prefers it), a negotiation failure
 * HYBRID_REQUIRED_BY_SERVER when the client did not offer CredSSP, and no
 * negotiation data for a client that sent none (MS-RDPBCGR 3.3.5.3.2).
 * Source reference 0x1234, as Windows always sends.
 *
 * @param request the parsed Connection Request
 * @returns the TPKT to send and what follows
 * @example
 * ```ts
 * connectionConfirm({ correlationInfo: false, negotiation: { flags: 0, requestedProtocols: 3 } }).next; // "hybrid"
 * ```
 */
export function connectionConfirm(request: RdpConnectionRequest): RdpConnectionConfirm {
  const negotiation = request.negotiation;
  if (!negotiation) {
    return { bytes: Uint8Array.of(3, 0, 0, 11, 6, 0xd0, 0, 0, 0x12, 0x34, 0), next: "legacy" };
  }
  const offered = negotiation.requestedProtocols;
  const selected = offered & RDP_PROTOCOL.hybridEx
    ? RDP_PROTOCOL.hybridEx
    : offered & RDP_PROTOCOL.hybrid
    ? RDP_PROTOCOL.hybrid
    : undefined;
  const bytes = Uint8Array.of(3, 0, 0, 19, 14, 0xd0, 0, 0, 0x12, 0x34, 0, 0, 0, 8, 0, 0, 0, 0, 0);
  const view = new DataView(bytes.buffer);
  if (selected === undefined) {
    bytes[11] = 0x03; // TYPE_RDP_NEG_FAILURE
    view.setUint32(15, HYBRID_REQUIRED_BY_SERVER, true);
    return { bytes, next: "refused" };
  }
  bytes[11] = 0x02; // TYPE_RDP_NEG_RSP
  bytes[12] = WINDOWS_RSP_FLAGS;
  view.setUint32(15, selected, true);
  return { bytes, next: selected === RDP_PROTOCOL.hybridEx ? "hybridEx" : "hybrid" };
}
