/** An SMB2 NEGOTIATE request, or an SMB1 multi-protocol one mapped onto it. */
export interface NegotiateRequest {
  /** Dialect revisions offered (0x02ff stands for SMB1's "SMB 2.???"). */
  dialects: number[];
  /** The client's SMB2 capabilities (0 for SMB1). */
  capabilities: number;
  /** 3.1.1 negotiate contexts by type, data only. */
  contexts: Map<number, Uint8Array>;
  /** True when it came as an SMB1 NEGOTIATE. */
  smb1: boolean;
}

/**
 * The dialects of an SMB2 NEGOTIATE body (after the 64-byte header), or
 * undefined when its counts or offsets do not fit the bytes.
 */
export function parseSmb2Negotiate(message: Uint8Array): NegotiateRequest | undefined {
  const body = message.subarray(64);
  if (body.length < 36) return undefined;
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  if (view.getUint16(0, true) !== 36) return undefined;
  const count = view.getUint16(2, true);
  if (count === 0 || 36 + 2 * count > body.length) return undefined;
  const dialects: number[] = [];
  for (let i = 0; i < count; i++) dialects.push(view.getUint16(36 + 2 * i, true));
  const contexts = new Map<number, Uint8Array>();
  if (dialects.includes(0x0311)) {
    // Offsets count from the start of the SMB2 header.
    let at = view.getUint32(28, true) - 64;
    const contextCount = view.getUint16(32, true);
    for (let i = 0; i < contextCount; i++) {
      if (at < 0 || at + 8 > body.length) return undefined;
      const type = view.getUint16(at, true);
      const length = view.getUint16(at + 2, true);
      if (at + 8 + length > body.length) return undefined;
      contexts.set(type, body.slice(at + 8, at + 8 + length));
      at += 8 + length + ((8 - (length % 8)) % 8);
    }
  }
  return { dialects, capabilities: view.getUint32(8, true), contexts, smb1: false };
}

const SMB1_NEGOTIATE = 0x72;

/**
 * An SMB1 NEGOTIATE mapped to the SMB2 dialects it names ("SMB 2.002" ->
 * 0x0202, "SMB 2.???" -> 0x02ff), or undefined when `message` is not one.
 * An SMB1-only client gets an empty list.
 */
export function parseSmb1Negotiate(message: Uint8Array): NegotiateRequest | undefined {
  if (message.length < 35 || message[0] !== 0xff || message[1] !== 0x53) return undefined;
  if (message[2] !== 0x4d || message[3] !== 0x42 || message[4] !== SMB1_NEGOTIATE) return undefined;
  const wordCount = message[32];
  const at = 33 + 2 * wordCount;
  if (at + 2 > message.length) return undefined;
  const byteCount = message[at] | (message[at + 1] << 8);
  const bytes = message.subarray(at + 2, Math.min(message.length, at + 2 + byteCount));
  const names = String.fromCharCode(...bytes).split("\x02").map((s) => s.replace(/\0.*$/s, ""));
  const dialects: number[] = [];
  if (names.includes("SMB 2.002")) dialects.push(0x0202);
  if (names.includes("SMB 2.???")) dialects.push(0x02ff);
  return { dialects, capabilities: 0, contexts: new Map(), smb1: true };
}
