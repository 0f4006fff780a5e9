import { readUint16, readUint32 } from "./_bytes.ts";
import { parseTcpOptions } from "./parse_tcp_options.ts";
import type { SynPacket } from "./syn_packet.ts";

/** libpcap link types this parser understands (DLT_* / LINKTYPE_* numbers). */
export const LINK_TYPES = Object.freeze({
  ETHERNET: 1,
  RAW: 12,
  RAW_101: 101,
  LINUX_SLL: 113,
  LINUX_SLL2: 276,
  IPV4: 228,
  IPV6: 229,
});

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100;
const ETHERTYPE_QINQ = 0x88a8;
const PROTO_TCP = 6;
/** IPv6 extension headers worth walking past to reach TCP (hop-by-hop, routing, destination). */
const IPV6_SKIPPABLE = new Set([0, 43, 60]);
const TCP_SYN = 0x02;
const TCP_RST = 0x04;
const TCP_ACK = 0x10;

/**
 * Decodes a captured frame into a {@linkcode SynPacket} when it is a client
 * SYN (SYN set, ACK and RST clear). Anything else - another protocol, a
 * SYN-ACK, a fragment, truncated or garbage bytes - gives null; it never throws.
 *
 * @param frame the captured bytes, from the start of the link-layer header
 * @param linkType the capture's libpcap link type (see {@linkcode LINK_TYPES})
 * @returns the decoded SYN, or null
 * @example
 * ```ts
 * declare const frame: Uint8Array;
 * const syn = parseSynFrame(frame, LINK_TYPES.ETHERNET);
 * if (syn) console.info(syn.srcIp, syn.options.signature);
 * ```
 */
export function parseSynFrame(frame: Uint8Array, linkType: number): SynPacket | null {
  const network = networkLayer(frame, linkType);
  if (network === null) return null;
  const [offset, version] = network;
  if (offset >= frame.length) return null;
  const seen = frame[offset] >> 4;
  if (version === 4 || (version === 0 && seen === 4)) return parseIpv4(frame, offset);
  if (version === 6 || (version === 0 && seen === 6)) return parseIpv6(frame, offset);
  return null;
}

/** [offset of the IP header, 4 | 6 | 0 when the IP version nibble decides]. */
function networkLayer(frame: Uint8Array, linkType: number): [number, number] | null {
  switch (linkType) {
    case LINK_TYPES.ETHERNET: {
      let at = 12;
      let type = readUint16(frame, at);
      // One or two 802.1Q/802.1ad tags before the payload type.
      for (let tags = 0; tags < 2 && (type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ); tags++) {
        at += 4;
        type = readUint16(frame, at);
      }
      return ipVersionOf(type, at + 2);
    }
    case LINK_TYPES.LINUX_SLL:
      return ipVersionOf(readUint16(frame, 14), 16);
    case LINK_TYPES.LINUX_SLL2:
      return ipVersionOf(readUint16(frame, 0), 20);
    case LINK_TYPES.RAW:
    case LINK_TYPES.RAW_101:
      return [0, 0];
    case LINK_TYPES.IPV4:
      return [0, 4];
    case LINK_TYPES.IPV6:
      return [0, 6];
    default:
      return null;
  }
}

function ipVersionOf(etherType: number, offset: number): [number, number] | null {
  if (etherType === ETHERTYPE_IPV4) return [offset, 4];
  if (etherType === ETHERTYPE_IPV6) return [offset, 6];
  return null;
}

function parseIpv4(frame: Uint8Array, ip: number): SynPacket | null {
  if (ip + 20 > frame.length || frame[ip] >> 4 !== 4) return null;
  const headerLength = (frame[ip] & 0x0f) * 4;
  const totalLength = readUint16(frame, ip + 2);
  const flagsFragment = readUint16(frame, ip + 6);
  // A non-first fragment carries no TCP header of its own.
  if (headerLength < 20 || (flagsFragment & 0x1fff) !== 0) return null;
  if (frame[ip + 9] !== PROTO_TCP) return null;
  const tcp = ip + headerLength;
  const syn = parseTcp(frame, tcp, totalLength - headerLength);
  if (syn === null) return null;
  return {
    ipVersion: 4,
    srcIp: frame.subarray(ip + 12, ip + 16).join("."),
    dstIp: frame.subarray(ip + 16, ip + 20).join("."),
    ttl: frame[ip + 8],
    tos: frame[ip + 1],
    ipId: readUint16(frame, ip + 4),
    df: (flagsFragment & 0x4000) !== 0,
    ipHeaderLength: headerLength,
    ipOptions: headerLength > 20,
    ...syn,
  };
}

function parseIpv6(frame: Uint8Array, ip: number): SynPacket | null {
  if (ip + 40 > frame.length || frame[ip] >> 4 !== 6) return null;
  let next = frame[ip + 6];
  let at = ip + 40;
  let remaining = readUint16(frame, ip + 4);
  while (IPV6_SKIPPABLE.has(next)) {
    if (at + 8 > frame.length) return null;
    const length = (frame[at + 1] + 1) * 8;
    next = frame[at];
    at += length;
    remaining -= length;
  }
  if (next !== PROTO_TCP) return null;
  const syn = parseTcp(frame, at, remaining);
  if (syn === null) return null;
  const first = readUint32(frame, ip);
  return {
    ipVersion: 6,
    srcIp: ipv6Text(frame, ip + 8),
    dstIp: ipv6Text(frame, ip + 24),
    ttl: frame[ip + 7],
    tos: (first >>> 20) & 0xff,
    ipId: 0,
    df: false,
    ipHeaderLength: at - ip,
    ipOptions: at - ip > 40,
    ...syn,
  };
}

type TcpPart = Pick<
  SynPacket,
  "srcPort" | "dstPort" | "isn" | "window" | "options" | "payloadLength"
>;

/** `segmentLength`: TCP header + payload as the IP header states it. */
function parseTcp(frame: Uint8Array, tcp: number, segmentLength: number): TcpPart | null {
  if (tcp + 20 > frame.length) return null;
  const flags = frame[tcp + 13];
  if ((flags & TCP_SYN) === 0 || (flags & (TCP_ACK | TCP_RST)) !== 0) return null;
  const headerLength = (frame[tcp + 12] >> 4) * 4;
  if (headerLength < 20 || segmentLength < headerLength) return null;
  // Options cut off by the snap length are read as far as they go.
  const optionsEnd = Math.min(tcp + headerLength, frame.length);
  return {
    srcPort: readUint16(frame, tcp),
    dstPort: readUint16(frame, tcp + 2),
    isn: readUint32(frame, tcp + 4),
    window: readUint16(frame, tcp + 14),
    options: parseTcpOptions(frame, tcp + 20, optionsEnd),
    payloadLength: segmentLength - headerLength,
  };
}

function ipv6Text(bytes: Uint8Array, at: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(readUint16(bytes, at + i * 2));
  // RFC 5952: compress the longest run (length >= 2) of zero groups.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}
