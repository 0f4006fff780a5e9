/** An RDP Negotiation Request (MS-RDPBCGR 2.2.1.1.1). */
export interface RdpNegotiationRequest {
  flags: number;
  /** PROTOCOL_SSL 0x1, PROTOCOL_HYBRID 0x2, PROTOCOL_RDSTLS 0x4, PROTOCOL_HYBRID_EX 0x8, ... */
  requestedProtocols: number;
}

/** What a client put in its X.224 Connection Request (MS-RDPBCGR 2.2.1.1). */
export interface RdpConnectionRequest {
  /** The `Cookie: mstshash=` value: the user name mstsc and most tools send. */
  mstshash?: string;
  /** The whole cookie or routing token line, without its CRLF. */
  cookie?: string;
  /** Absent for a client that only knows Standard RDP Security. */
  negotiation?: RdpNegotiationRequest;
  /** Whether an RDP_NEG_CORRELATION_INFO followed (mstsc and msrdc send one). */
  correlationInfo: boolean;
}

const TPKT_VERSION = 3;
const X224_CONNECTION_REQUEST = 0xe0;
const TYPE_RDP_NEG_REQ = 0x01;
const TYPE_RDP_CORRELATION_INFO = 0x06;
const MSTSHASH = "Cookie: mstshash=";
// Cookies and routing tokens are one line; longer is not a client Windows answers.
const MAX_COOKIE = 1024;

/**
 * Parses a whole TPKT carrying an X.224 Connection Request, with the checks
 * MS-RDPBCGR 3.3.5.3.1 names (TPKT and X.224 lengths consistent, at least
 * 11 bytes, class 0): the cookie or routing token, the negotiation request
 * and whether correlation info follows.
 *
 * @param packet the TPKT, header included
 * @returns the request, or undefined when Windows would drop the connection
 * @example
 * ```ts
 * const cr = Uint8Array.of(3, 0, 0, 19, 14, 0xe0, 0, 0, 0, 0, 0, 1, 0, 8, 0, 3, 0, 0, 0);
 * parseConnectionRequest(cr)?.negotiation?.requestedProtocols; // 3
 * ```
 */
export function parseConnectionRequest(packet: Uint8Array): RdpConnectionRequest | undefined {
  if (packet.length < 11 || packet[0] !== TPKT_VERSION) return undefined;
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  if (view.getUint16(2) !== packet.length || packet[4] !== packet.length - 5) return undefined;
  if ((packet[5] & 0xf0) !== X224_CONNECTION_REQUEST || (packet[10] & 0xf0) !== 0) return undefined;
  const out: RdpConnectionRequest = { correlationInfo: false };
  let at = 11;
  if (startsWith(packet, at, "Cookie: ")) {
    const end = lineEnd(packet, at);
    if (end === undefined) return undefined;
    out.cookie = latin1(packet.subarray(at, end));
    if (out.cookie.startsWith(MSTSHASH)) out.mstshash = out.cookie.slice(MSTSHASH.length);
    at = end + 2;
  }
  if (at + 8 <= packet.length && packet[at] === TYPE_RDP_NEG_REQ) {
    if (view.getUint16(at + 2, true) !== 8) return undefined;
    out.negotiation = {
      flags: packet[at + 1],
      requestedProtocols: view.getUint32(at + 4, true),
    };
    at += 8;
    if (at + 4 <= packet.length && packet[at] === TYPE_RDP_CORRELATION_INFO) {
      out.correlationInfo = true;
    }
  }
  return out;
}

function startsWith(bytes: Uint8Array, at: number, text: string): boolean {
  if (at + text.length > bytes.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

function lineEnd(bytes: Uint8Array, from: number): number | undefined {
  for (let i = from; i + 1 < bytes.length && i - from < MAX_COOKIE; i++) {
    if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) return i;
  }
  return undefined;
}

function latin1(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}
