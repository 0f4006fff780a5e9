import { hashcatLine, type NtlmAuthenticate } from "./ntlmssp/mod.ts";
import type { SensorSession } from "./sensor_service.ts";

/**
 * Records a refused NTLMSSP login: `auth_attempt` (method `anonymous` for a
 * null session) and, when an NT response came, a `credential` carrying the
 * NetNTLMv1/v2 hashcat line.
 *
 * @param session the client's session
 * @param auth the client's AUTHENTICATE
 * @param options the server challenge it answers, the method name and extra fields for both events
 * @example
 * ```ts
 * import type { NtlmAuthenticate } from "./ntlmssp/mod.ts";
 * import type { SensorSession } from "./sensor_service.ts";
 * declare const session: SensorSession, auth: NtlmAuthenticate, challenge: Uint8Array;
 * recordNtlmLogin(session, auth, { serverChallenge: challenge, method: "ntlm" });
 * ```
 */
export function recordNtlmLogin(
  session: SensorSession,
  auth: NtlmAuthenticate,
  options: { serverChallenge: Uint8Array; method: string; fields?: Record<string, unknown> },
): void {
  const extra = options.fields ?? {};
  session.emit("auth_attempt", {
    ...extra,
    username: auth.username,
    domain: auth.domain,
    workstation: auth.workstation,
    method: auth.anonymous ? "anonymous" : options.method,
    accepted: false,
  });
  const hash = hashcatLine(auth, options.serverChallenge);
  if (!hash) return;
  session.emit("credential", {
    ...extra,
    username: auth.username,
    domain: auth.domain,
    secret_kind: hash.secretKind,
    secret: hash.hashcatLine,
    hashcat_mode: hash.hashcatMode,
    hashcat_line: hash.hashcatLine,
  });
}
