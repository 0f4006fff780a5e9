import { ipv4Number } from "./_ipv4.ts";

/** What one probe SYN carries. */
export interface ProbeFrameFields {
  /** Ethernet addresses, 6 bytes each: to the source's (or its router's) MAC, from the decky's. */
  dstMac: Uint8Array;
  srcMac: Uint8Array;
  /** The decky's address (the probe comes from what the source touched) and the source's. */
  srcIp: string;
  dstIp: string;
  srcPort: number;
  dstPort: number;
  isn: number;
  ipId: number;
  /** TSval of the timestamps option. */
  tsVal: number;
}

/** Bytes of the SYN: Ethernet 14 + IPv4 20 + TCP 20 + options 20. */
export const PROBE_FRAME_BYTES = 74;

/**
 * An Ethernet frame holding a SYN as current Linux sends it (TTL 64, DF,
 * window 64240, options mss 1460, sackOK, timestamps, nop, wscale 7), with
 * both checksums, for the prober to inject on the decky's network.
 *
 * @throws {TypeError} when an address is not IPv4 or a MAC is not 6 bytes
 * @example
 * ```ts
 * const frame = probeFrame({
 *   dstMac: new Uint8Array(6), srcMac: new Uint8Array(6), srcIp: "192.0.2.10", dstIp: "198.51.100.7",
 *   srcPort: 40000, dstPort: 22, isn: 1, ipId: 2, tsVal: 3,
 * });
 * frame.length; // 74
 * ```
 */
export function probeFrame(f: ProbeFrameFields): Uint8Array {
  const src = ipv4Number(f.srcIp);
  const dst = ipv4Number(f.dstIp);
  if (src === null || dst === null) {
    throw new TypeError(
      `Cannot build a probe: expected IPv4 addresses, got "${f.srcIp}" -> "${f.dstIp}"`,
    );
  }
  if (f.dstMac.length !== 6 || f.srcMac.length !== 6) {
    throw new TypeError("Cannot build a probe: expected 6-byte MAC addresses");
  }
  const frame = new Uint8Array(PROBE_FRAME_BYTES);
  const view = new DataView(frame.buffer);
  frame.set(f.dstMac, 0);
  frame.set(f.srcMac, 6);
  view.setUint16(12, 0x0800);
  const ip = 14;
  view.setUint8(ip, 0x45);
  view.setUint16(ip + 2, 60);
  view.setUint16(ip + 4, f.ipId & 0xffff);
  view.setUint16(ip + 6, 0x4000);
  view.setUint8(ip + 8, 64);
  view.setUint8(ip + 9, 6);
  view.setUint32(ip + 12, src);
  view.setUint32(ip + 16, dst);
  view.setUint16(ip + 10, checksum(frame.subarray(ip, ip + 20), 0));
  const tcp = ip + 20;
  view.setUint16(tcp, f.srcPort);
  view.setUint16(tcp + 2, f.dstPort);
  view.setUint32(tcp + 4, f.isn >>> 0);
  view.setUint8(tcp + 12, 10 << 4);
  view.setUint8(tcp + 13, 0x02);
  view.setUint16(tcp + 14, 64240);
  frame.set([2, 4, 0x05, 0xb4, 4, 2, 8, 10], tcp + 20);
  view.setUint32(tcp + 28, f.tsVal >>> 0);
  frame.set([1, 3, 3, 7], tcp + 36);
  // The pseudo-header (addresses, protocol, TCP length) counts toward the TCP checksum.
  const pseudo = (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + 6 + 40;
  view.setUint16(tcp + 16, checksum(frame.subarray(tcp, tcp + 40), pseudo));
  return frame;
}

/** The Internet checksum (RFC 1071) of `bytes`, starting from `sum`. */
function checksum(bytes: Uint8Array, sum: number): number {
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i] << 8) | (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
