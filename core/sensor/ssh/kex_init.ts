/** SSH_MSG_KEXINIT (RFC 4253 section 7.1). */
const SSH_MSG_KEXINIT = 20;

/** The algorithm name-lists of one SSH_MSG_KEXINIT, in wire order. */
export interface KexInit {
  kex: string[];
  hostKey: string[];
  encryptionC2s: string[];
  encryptionS2c: string[];
  macC2s: string[];
  macS2c: string[];
  compressionC2s: string[];
  compressionS2c: string[];
  languagesC2s: string[];
  languagesS2c: string[];
}

/**
 * Parses the payload of a cleartext SSH_MSG_KEXINIT packet (message byte,
 * 16-byte cookie, ten name-lists, then a boolean and a reserved uint32).
 *
 * @example
 * ```ts
 * declare const payload: Uint8Array; // from the client's first binary packet
 * const kex = parseKexInit(payload); // kex.kex[0] === "curve25519-sha256" ...
 * ```
 * @throws {SyntaxError} when the payload is not a complete KEXINIT
 */
export function parseKexInit(payload: Uint8Array): KexInit {
  if (payload[0] !== SSH_MSG_KEXINIT) {
    throw new SyntaxError(`Cannot parse KEXINIT: message type is ${payload[0]}, expected 20`);
  }
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  let at = 17;
  const lists: string[][] = [];
  for (let i = 0; i < 10; i++) {
    if (at + 4 > payload.length) {
      throw new SyntaxError(`Cannot parse KEXINIT: name-list ${i} is truncated at byte ${at}`);
    }
    const length = view.getUint32(at);
    if (at + 4 + length > payload.length) {
      throw new SyntaxError(`Cannot parse KEXINIT: name-list ${i} claims ${length} bytes`);
    }
    const text = String.fromCharCode(...payload.subarray(at + 4, at + 4 + length));
    lists.push(text === "" ? [] : text.split(","));
    at += 4 + length;
  }
  const [
    kex,
    hostKey,
    encryptionC2s,
    encryptionS2c,
    macC2s,
    macS2c,
    compressionC2s,
    compressionS2c,
    languagesC2s,
    languagesS2c,
  ] = lists;
  return {
    kex,
    hostKey,
    encryptionC2s,
    encryptionS2c,
    macC2s,
    macS2c,
    compressionC2s,
    compressionS2c,
    languagesC2s,
    languagesS2c,
  };
}
