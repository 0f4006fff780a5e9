import { parseChallenge } from "../ntlmssp/_ntlm_fixtures.ts";

/** Hex of bytes. */
function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The fields of an SMB2 response that a real server keeps the same between
 * two runs, by name; the ones that differ by nature (server GUID, times,
 * salts, challenges, session ids) are replaced by their length, so a
 * deepEqual between Samba's answer and the sensor's shows every other
 * difference.
 */
export function stableFields(message: Uint8Array): Record<string, unknown> {
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  const out: Record<string, unknown> = {
    header: hex(message.subarray(0, 40)),
    sessionId: view.getBigUint64(40, true) === 0n
      ? "zero"
      : `${view.getUint32(44, true) === 0 ? 32 : 64}-bit`,
    signature: hex(message.subarray(48, 64)),
  };
  const body = message.subarray(64);
  const b = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const command = view.getUint16(12, true);
  const status = view.getUint32(8, true);
  if (command === 0 && status === 0) {
    out.negotiate = {
      structureSize: b.getUint16(0, true),
      securityMode: b.getUint16(2, true),
      dialect: b.getUint16(4, true).toString(16),
      contextCount: b.getUint16(6, true),
      capabilities: b.getUint32(24, true).toString(16),
      maxTransact: b.getUint32(28, true),
      maxRead: b.getUint32(32, true),
      maxWrite: b.getUint32(36, true),
      serverStartTime: b.getBigUint64(48, true).toString(),
      securityBuffer: hex(blob(message, b.getUint16(56, true), b.getUint16(58, true))),
      contextOffset: b.getUint32(60, true),
      contexts: contexts(message, b.getUint32(60, true), b.getUint16(6, true)),
    };
  } else if (command === 1 && body.length > 9) {
    const securityBuffer = blob(message, b.getUint16(4, true), b.getUint16(6, true));
    const at = findNtlm(securityBuffer);
    const challenge = parseChallenge(securityBuffer.subarray(at));
    out.sessionSetup = {
      structureSize: b.getUint16(0, true),
      sessionFlags: b.getUint16(2, true),
      securityBufferOffset: b.getUint16(4, true),
      spnegoBeforeNtlm: hex(securityBuffer.subarray(0, at)),
      ntlm: {
        flags: challenge.flags.toString(16),
        targetName: hex(challenge.targetName),
        version: hex(challenge.version),
        targetInfo: challenge.targetInfo.map(([id, v]) => [id, id === 7 ? v.length : hex(v)]),
      },
    };
  } else out.body = hex(body);
  return out;
}

function blob(message: Uint8Array, offset: number, length: number): Uint8Array {
  return message.subarray(offset, offset + length);
}

function findNtlm(bytes: Uint8Array): number {
  for (let i = 0; i + 8 <= bytes.length; i++) {
    if (new TextDecoder().decode(bytes.subarray(i, i + 8)) === "NTLMSSP\0") return i;
  }
  throw new Error("no NTLMSSP message in the security buffer");
}

function contexts(message: Uint8Array, offset: number, count: number): unknown[] {
  const out: unknown[] = [];
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  let at = offset;
  for (let i = 0; i < count && at + 8 <= message.length; i++) {
    const type = view.getUint16(at, true);
    const length = view.getUint16(at + 2, true);
    const data = message.subarray(at + 8, at + 8 + length);
    // The preauth salt is random per negotiate.
    out.push([type, type === 1 ? `${hex(data.subarray(0, 6))}+salt${length - 6}` : hex(data)]);
    at += 8 + length + ((8 - (length % 8)) % 8);
  }
  return out;
}
