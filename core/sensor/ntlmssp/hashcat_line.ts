import type { NtlmAuthenticate } from "./parse_ntlm_message.ts";

/** A captured NetNTLM response as hashcat takes it. */
export interface NtlmHash {
  secretKind: "ntlmssp_v1" | "ntlmssp_v2";
  /** 5500 (NetNTLMv1) or 5600 (NetNTLMv2). */
  hashcatMode: 5500 | 5600;
  hashcatLine: string;
}

/**
 * The hashcat line for an AUTHENTICATE message, in the same form impacket's
 * capture servers print: `user::domain:challenge:NTProofStr:blob` (NetNTLMv2,
 * an NT response longer than 24 bytes) or `user::domain:lm:nt:challenge`
 * (NetNTLMv1, 24 bytes).
 *
 * @param auth the parsed AUTHENTICATE message
 * @param serverChallenge the 8 bytes sent in the CHALLENGE
 * @returns the line and its mode, or undefined when no NT response was sent
 *   (anonymous, or a length neither version has)
 * @example
 * ```ts
 * import { parseNtlmMessage } from "./parse_ntlm_message.ts";
 * declare const type3: Uint8Array, challenge: Uint8Array;
 * const auth = parseNtlmMessage(type3);
 * if (auth.type === 3) hashcatLine(auth, challenge)?.hashcatLine;
 * ```
 */
export function hashcatLine(
  auth: NtlmAuthenticate,
  serverChallenge: Uint8Array,
): NtlmHash | undefined {
  const nt = hex(auth.ntResponse);
  const who = `${auth.username}::${auth.domain}`;
  if (auth.ntResponse.length > 24) {
    return {
      secretKind: "ntlmssp_v2",
      hashcatMode: 5600,
      hashcatLine: `${who}:${hex(serverChallenge)}:${nt.slice(0, 32)}:${nt.slice(32)}`,
    };
  }
  if (auth.ntResponse.length === 24) {
    return {
      secretKind: "ntlmssp_v1",
      hashcatMode: 5500,
      hashcatLine: `${who}:${hex(auth.lmResponse)}:${nt}:${hex(serverChallenge)}`,
    };
  }
  return undefined;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
