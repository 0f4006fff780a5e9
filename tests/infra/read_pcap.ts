/** One captured frame of a pcap file. */
export interface PcapFrame {
  /** Capture time in microseconds since the epoch. */
  micros: number;
  data: Uint8Array;
}

/** A classic libpcap capture file, read whole. */
export interface PcapFile {
  linkType: number;
  frames: PcapFrame[];
}

/**
 * Reads a classic pcap file (microsecond or nanosecond, either byte order) as
 * tcpdump -w writes it; tests use it to replay real captures.
 */
export function readPcap(bytes: Uint8Array): PcapFile {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, true);
  const little = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (
    !little && view.getUint32(0, false) !== 0xa1b2c3d4 && view.getUint32(0, false) !== 0xa1b23c4d
  ) {
    throw new SyntaxError(`Cannot read pcap: unknown magic 0x${magic.toString(16)}`);
  }
  const nanos = (little ? magic : view.getUint32(0, false)) === 0xa1b23c4d;
  const linkType = view.getUint32(20, little) & 0x0fffffff;
  const frames: PcapFrame[] = [];
  let at = 24;
  while (at + 16 <= bytes.length) {
    const seconds = view.getUint32(at, little);
    const fraction = view.getUint32(at + 4, little);
    const captured = view.getUint32(at + 8, little);
    if (at + 16 + captured > bytes.length) break;
    frames.push({
      micros: seconds * 1e6 + (nanos ? Math.floor(fraction / 1000) : fraction),
      data: bytes.subarray(at + 16, at + 16 + captured),
    });
    at += 16 + captured;
  }
  return { linkType, frames };
}
