import {
  buildChallenge,
  NtlmParseError,
  ntlmServerNames,
  parseNtlmMessage,
} from "../ntlmssp/mod.ts";
import { recordNtlmLogin } from "../record_ntlm_login.ts";
import type { SensorSession } from "../sensor_service.ts";

/** What a 401 offers before any NTLM token: IIS's pair. */
export const NTLM_OFFER: readonly string[] = ["Negotiate", "NTLM"];

/** One connection's NTLM handshake: the challenge sent, awaiting the client's AUTHENTICATE. */
export interface HttpNtlmState {
  serverChallenge?: Uint8Array;
}

/**
 * One step of HTTP NTLM authentication (connection-bound, as IIS does it):
 * a NEGOTIATE gets a CHALLENGE in `WWW-Authenticate: NTLM <base64>`, an
 * AUTHENTICATE answering it is recorded (NetNTLMv1/v2 with its hashcat line)
 * and refused with the offer again. Anything else gets the offer.
 *
 * @param session records the attempt; its host name names the server
 * @param authorization the Authorization header value
 * @param state this connection's handshake
 * @param random fills the 8-byte server challenge
 * @returns the WWW-Authenticate values of the 401 to send
 * @example
 * ```ts
 * import type { SensorSession } from "../sensor_service.ts";
 * declare const session: SensorSession;
 * const state = {};
 * const values = httpNtlmStep(session, "NTLM TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAKAGFKAAAADw==", state);
 * ```
 */
export function httpNtlmStep(
  session: SensorSession,
  authorization: string,
  state: HttpNtlmState,
  random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b),
): readonly string[] {
  const m = /^(NTLM|Negotiate)[ \t]+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  if (m === null) return NTLM_OFFER;
  let message;
  try {
    message = parseNtlmMessage(Uint8Array.from(atob(m[2]), (c) => c.charCodeAt(0)));
  } catch (e) {
    // A SPNEGO/Kerberos token, bad base64 or a malformed message: offer again.
    if (e instanceof NtlmParseError || e instanceof DOMException) return NTLM_OFFER;
    throw e;
  }
  if (message.type === 1) {
    state.serverChallenge = random(new Uint8Array(8));
    const challenge = buildChallenge(message, {
      serverChallenge: state.serverChallenge,
      now: session.now(),
      ...ntlmServerNames(session.options.hostname ?? "intranet"),
    });
    return [`${m[1]} ${btoa(String.fromCharCode(...challenge))}`];
  }
  const serverChallenge = state.serverChallenge;
  state.serverChallenge = undefined;
  if (serverChallenge === undefined) return NTLM_OFFER;
  recordNtlmLogin(session, message, { serverChallenge, method: "ntlm" });
  return NTLM_OFFER;
}
