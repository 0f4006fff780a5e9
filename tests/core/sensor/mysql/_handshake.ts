/** Options for {@linkcode handshakeResponse}: a HandshakeResponse41 as a client builds it. */
export interface HandshakeResponseOptions {
  user?: Uint8Array | string;
  auth?: Uint8Array;
  database?: string;
  plugin?: string;
  attributes?: [string, string][];
  charset?: number;
  /** Capability bits, replacing the usual ones. */
  capabilities?: number;
  seq?: number;
}

const encoder = new TextEncoder();

/** One packet: 3-byte length, sequence number, payload. */
export function mysqlPacket(seq: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + payload.length);
  out.set([payload.length & 0xff, (payload.length >> 8) & 0xff, payload.length >> 16, seq]);
  out.set(payload, 4);
  return out;
}

/** A client's handshake response packet (sequence 1 unless told). */
export function handshakeResponse(options: HandshakeResponseOptions = {}): Uint8Array {
  const user = typeof options.user === "string"
    ? encoder.encode(options.user)
    : options.user ?? encoder.encode("bob");
  const auth = options.auth ?? new Uint8Array(20).fill(0x11);
  // LONG_PASSWORD, LONG_FLAG, PROTOCOL_41, TRANSACTIONS, SECURE_CONNECTION, PLUGIN_AUTH, LENENC data
  let caps = options.capabilities ?? (0x1 | 0x4 | 0x200 | 0x2000 | 0x8000 | 0x80000 | 0x200000);
  if (options.database !== undefined) caps |= 0x8;
  if (options.attributes !== undefined) caps |= 0x100000;
  const parts: number[] = [];
  const u32 = (n: number) => parts.push(n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24);
  u32(caps);
  u32(16 * 1024 * 1024);
  parts.push(options.charset ?? 45, ...new Array(23).fill(0));
  parts.push(...user, 0, auth.length, ...auth);
  if (options.database !== undefined) parts.push(...encoder.encode(options.database), 0);
  parts.push(...encoder.encode(options.plugin ?? "mysql_native_password"), 0);
  if (options.attributes !== undefined) {
    const attrs: number[] = [];
    for (const [k, v] of options.attributes) {
      const kb = encoder.encode(k), vb = encoder.encode(v);
      attrs.push(kb.length, ...kb, vb.length, ...vb);
    }
    parts.push(attrs.length, ...attrs);
  }
  return mysqlPacket(options.seq ?? 1, Uint8Array.from(parts));
}
