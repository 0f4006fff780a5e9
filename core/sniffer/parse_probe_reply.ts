import { readUint16, readUint32 } from "./_bytes.ts";
import { parseTcpOptions } from "./parse_tcp_options.ts";
import type { TcpOptions } from "./syn_packet.ts";

/** An answer to a probe SYN: a SYN-ACK (open) or a RST (closed). */
export interface ProbeReply {
  srcIp: string;
  dstIp: string;
  srcPort: number;
  dstPort: number;
  /** True for SYN-ACK, false for RST. */
  synAck: boolean;
  seq: number;
  ack: number;
  ttl: number;
  tos: number;
  window: number;
  options: TcpOptions;
}

/**
 * Decodes an Ethernet frame (one 802.1Q tag at most) into a
 * {@linkcode ProbeReply} when it is an IPv4 TCP segment with ACK and SYN or
 * RST set; anything else gives null. Never throws.
 *
 * @example
 * ```ts
 * declare const frame: Uint8Array;
 * const reply = parseProbeReply(frame);
 * if (reply?.synAck) console.info(reply.ttl, reply.window, reply.options.signature);
 * ```
 */
export function parseProbeReply(frame: Uint8Array): ProbeReply | null {
  let ip = 14;
  let type = readUint16(frame, 12);
  if (type === 0x8100) {
    type = readUint16(frame, 16);
    ip = 18;
  }
  if (type !== 0x0800 || ip + 20 > frame.length || frame[ip] >> 4 !== 4) return null;
  const ihl = (frame[ip] & 0x0f) * 4;
  if (ihl < 20 || frame[ip + 9] !== 6 || (readUint16(frame, ip + 6) & 0x1fff) !== 0) return null;
  const tcp = ip + ihl;
  if (tcp + 20 > frame.length) return null;
  const flags = frame[tcp + 13];
  const ack = (flags & 0x10) !== 0;
  const syn = (flags & 0x02) !== 0;
  const rst = (flags & 0x04) !== 0;
  if (!ack || syn === rst) return null;
  const headerLength = (frame[tcp + 12] >> 4) * 4;
  if (headerLength < 20) return null;
  return {
    srcIp: frame.subarray(ip + 12, ip + 16).join("."),
    dstIp: frame.subarray(ip + 16, ip + 20).join("."),
    srcPort: readUint16(frame, tcp),
    dstPort: readUint16(frame, tcp + 2),
    synAck: syn,
    seq: readUint32(frame, tcp + 4),
    ack: readUint32(frame, tcp + 8),
    ttl: frame[ip + 8],
    tos: frame[ip + 1],
    window: readUint16(frame, tcp + 14),
    options: parseTcpOptions(frame, tcp + 20, Math.min(tcp + headerLength, frame.length)),
  };
}
