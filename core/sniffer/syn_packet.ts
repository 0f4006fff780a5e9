/** The TCP options of a SYN, decoded, plus the p0f-style layout string. */
export interface TcpOptions {
  /** Maximum segment size, or null when the option is absent. */
  mss: number | null;
  /** Window scale shift, or null when the option is absent. */
  wscale: number | null;
  /** SACK permitted present. */
  sackPermitted: boolean;
  /** Timestamps present. */
  timestamps: boolean;
  /** TSval of the timestamps option (0 when absent). */
  tsVal: number;
  /**
   * Order and kinds, p0f v3 spelling: "mss,nop,ws,nop,nop,ts,sok,eol+N";
   * unknown kinds are "?<kind>", an empty option list is "".
   */
  signature: string;
  /** An option had a bad length or ran past the header; decoding stopped there. */
  malformed: boolean;
}

/** One client SYN (SYN set, ACK clear) decoded from a captured frame. */
export interface SynPacket {
  /** 4 for IPv4, 6 for IPv6. */
  ipVersion: 4 | 6;
  srcIp: string;
  dstIp: string;
  srcPort: number;
  dstPort: number;
  /** IPv4 TTL or IPv6 hop limit as seen on the wire. */
  ttl: number;
  /** IPv4 TOS byte or IPv6 traffic class. */
  tos: number;
  /** IPv4 identification (0 for IPv6, which has none in a SYN). */
  ipId: number;
  /** TCP initial sequence number. */
  isn: number;
  /** TCP window field (unscaled). */
  window: number;
  options: TcpOptions;
  /** IPv4 Don't Fragment bit (false for IPv6). */
  df: boolean;
  /** IPv4 header length in bytes (40 for IPv6). */
  ipHeaderLength: number;
  /** True when the IPv4 header carries options (ihl > 5). */
  ipOptions: boolean;
  /** TCP payload bytes after the header (a SYN normally has none). */
  payloadLength: number;
}
