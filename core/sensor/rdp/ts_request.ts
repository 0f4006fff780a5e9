import { der, readDer, readDerChildren } from "../der.ts";

/** The fields of a CredSSP TSRequest (MS-CSSP 2.2.1) this sensor reads or writes. */
export interface TsRequest {
  version: number;
  /** The first negoToken (SPNEGO or raw NTLMSSP), when the message carries one. */
  negoToken?: Uint8Array;
  pubKeyAuth?: Uint8Array;
  /** NTSTATUS of a failure (version 3 and later). */
  errorCode?: number;
  clientNonce?: Uint8Array;
}

/**
 * Decodes a TSRequest: `SEQUENCE { [0] version, [1] negoTokens, [2] authInfo,
 * [3] pubKeyAuth, [4] errorCode, [5] clientNonce }`.
 *
 * @param bytes one whole DER-encoded TSRequest
 * @returns the fields, or undefined when the bytes are not a TSRequest
 * @example
 * ```ts
 * parseTsRequest(Uint8Array.of(0x30, 5, 0xa0, 3, 2, 1, 6))?.version; // 6
 * ```
 */
export function parseTsRequest(bytes: Uint8Array): TsRequest | undefined {
  const outer = readDer(bytes);
  if (!outer || outer.tag !== 0x30) return undefined;
  let version: number | undefined;
  const out: Partial<TsRequest> = {};
  for (const field of readDerChildren(outer.contents)) {
    const inner = readDer(field.contents);
    if (!inner) return undefined;
    if (field.tag === 0xa0 && inner.tag === 0x02) version = integer(inner.contents);
    else if (field.tag === 0xa1 && inner.tag === 0x30) {
      // NegoData ::= SEQUENCE OF SEQUENCE { negoToken [0] OCTET STRING }
      const first = readDerChildren(inner.contents)[0];
      const tagged = first?.tag === 0x30 ? readDer(first.contents) : undefined;
      const octets = tagged?.tag === 0xa0 ? readDer(tagged.contents) : undefined;
      if (octets?.tag === 0x04) out.negoToken = octets.contents;
    } else if (field.tag === 0xa3 && inner.tag === 0x04) out.pubKeyAuth = inner.contents;
    else if (field.tag === 0xa4 && inner.tag === 0x02) out.errorCode = integer(inner.contents);
    else if (field.tag === 0xa5 && inner.tag === 0x04) out.clientNonce = inner.contents;
  }
  if (version === undefined || Number.isNaN(version)) return undefined;
  return { ...out, version };
}

/**
 * Encodes a TSRequest with the fields given (version, negoTokens with one
 * token, pubKeyAuth, errorCode as a 4-byte INTEGER the way Windows writes
 * an NTSTATUS, clientNonce).
 *
 * @param request the fields
 * @returns the DER bytes
 * @example
 * ```ts
 * encodeTsRequest({ version: 6, errorCode: 0xc000006d });
 * ```
 */
export function encodeTsRequest(request: TsRequest): Uint8Array {
  const fields = [der(0xa0, der(0x02, minimalInteger(request.version)))];
  if (request.negoToken) {
    fields.push(der(0xa1, der(0x30, der(0x30, der(0xa0, der(0x04, request.negoToken))))));
  }
  if (request.pubKeyAuth) fields.push(der(0xa3, der(0x04, request.pubKeyAuth)));
  if (request.errorCode !== undefined) {
    const code = new Uint8Array(4);
    new DataView(code.buffer).setUint32(0, request.errorCode);
    fields.push(der(0xa4, der(0x02, code)));
  }
  if (request.clientNonce) fields.push(der(0xa5, der(0x04, request.clientNonce)));
  return der(0x30, ...fields);
}

/** An INTEGER's value as an unsigned 32-bit number (versions, NTSTATUS); NaN when longer. */
function integer(contents: Uint8Array): number {
  if (contents.length === 0 || contents.length > 5) return NaN;
  let n = 0;
  for (const b of contents) n = n * 256 + b;
  return n % 0x1_0000_0000;
}

function minimalInteger(n: number): Uint8Array {
  const bytes: number[] = [];
  do {
    bytes.unshift(n & 0xff);
    n = Math.floor(n / 256);
  } while (n > 0);
  if (bytes[0] & 0x80) bytes.unshift(0);
  return Uint8Array.from(bytes);
}
