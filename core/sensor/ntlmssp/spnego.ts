import { der, readDer, readDerChildren } from "../der.ts";

// OIDs as DER contents.
const SPNEGO_OID = Uint8Array.of(0x2b, 0x06, 0x01, 0x05, 0x05, 0x02);
const NTLMSSP_OID = Uint8Array.of(0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0a);
const NTLM_SIGNATURE = "NTLMSSP\0";

/** SPNEGO negState values (RFC 4178). */
export const NEG_STATE = Object.freeze({ acceptCompleted: 0, acceptIncomplete: 1, reject: 2 });

/**
 * The negTokenInit a standalone Samba server puts in its NEGOTIATE response:
 * NTLMSSP as the only mechanism (no Kerberos without a realm), and the
 * RFC 4178 hint name Samba sends.
 */
export function spnegoServerInit(): Uint8Array {
  return der(
    0x60,
    der(0x06, SPNEGO_OID),
    der(
      0xa0,
      der(
        0x30,
        der(0xa0, der(0x30, der(0x06, NTLMSSP_OID))),
        der(
          0xa3,
          der(0x30, der(0xa0, der(0x1b, ascii("not_defined_in_RFC4178@please_ignore")))),
        ),
      ),
    ),
  );
}

/** An NTLMSSP token found in a session setup's security blob. */
export interface NtlmInBlob {
  token: Uint8Array;
  /** Whether it came wrapped in SPNEGO (answers are wrapped the same way). */
  spnego: boolean;
}

/**
 * The NTLMSSP token in a client's security blob: raw, a negTokenInit's
 * mechToken, or a negTokenResp's responseToken; undefined when there is none.
 */
export function ntlmFromBlob(blob: Uint8Array): NtlmInBlob | undefined {
  if (startsWithSignature(blob)) return { token: blob, spnego: false };
  const outer = readDer(blob);
  if (!outer) return undefined;
  let body: Uint8Array | undefined;
  if (outer.tag === 0x60) {
    // [APPLICATION 0] { OID, [0] NegTokenInit }
    const init = readDerChildren(outer.contents).find((e) => e.tag === 0xa0);
    body = init?.contents;
  } else if (outer.tag === 0xa1) body = outer.contents;
  if (!body) return undefined;
  const sequence = readDer(body);
  if (!sequence || sequence.tag !== 0x30) return undefined;
  // mechToken is [2] in negTokenInit, responseToken is [2] in negTokenResp.
  const tokenField = readDerChildren(sequence.contents).find((e) => e.tag === 0xa2);
  const octets = tokenField && readDer(tokenField.contents);
  if (!octets || octets.tag !== 0x04 || !startsWithSignature(octets.contents)) return undefined;
  return { token: octets.contents, spnego: true };
}

/**
 * A negTokenResp: the server's state, NTLMSSP as the chosen mechanism on the
 * first answer, and the server's token when there is one.
 */
export function spnegoResponse(state: number, token?: Uint8Array): Uint8Array {
  const fields = [der(0xa0, der(0x0a, Uint8Array.of(state)))];
  if (token) fields.push(der(0xa1, der(0x06, NTLMSSP_OID)), der(0xa2, der(0x04, token)));
  return der(0xa1, der(0x30, ...fields));
}

function startsWithSignature(bytes: Uint8Array): boolean {
  if (bytes.length < NTLM_SIGNATURE.length) return false;
  for (let i = 0; i < NTLM_SIGNATURE.length; i++) {
    if (bytes[i] !== NTLM_SIGNATURE.charCodeAt(i)) return false;
  }
  return true;
}

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}
