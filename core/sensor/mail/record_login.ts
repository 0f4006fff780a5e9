import { abortableSleep } from "../../abortable_sleep.ts";
import type { SensorSession } from "../sensor_service.ts";

/** Options for {@linkcode recordLogin}. */
export interface RecordLoginOptions {
  username: string;
  password: string;
  /** How it was offered: `LOGIN`, `PLAIN` (SASL), `USER` (POP3 USER/PASS). */
  method: string;
  /** Dovecot answers a failed login only after this delay (auth_failure_delay). */
  failureDelayMs: number;
}

/**
 * Records a login attempt (auth_attempt, the credential, auth_success when
 * the fleet file accepts it) and, for a refused one, waits as long as
 * Dovecot would before answering.
 *
 * @param session the client's session
 * @param options what was offered and the failure delay
 * @returns whether the login is accepted
 * @example
 * ```ts
 * import type { SensorSession } from "../sensor_service.ts";
 * declare const session: SensorSession;
 * const ok = await recordLogin(session, { username: "ana", password: "x", method: "LOGIN", failureDelayMs: 2000 });
 * ```
 */
export async function recordLogin(
  session: SensorSession,
  options: RecordLoginOptions,
): Promise<boolean> {
  const { username, password, method } = options;
  const accepted = (session.options.accept ?? []).some((c) =>
    c.username === username && c.password === password
  );
  session.emit("auth_attempt", { username, method, accepted });
  session.emit("credential", { username, secret_kind: "password", secret: password });
  if (accepted) {
    session.emit("auth_success", { username, method });
    return true;
  }
  await abortableSleep(options.failureDelayMs, session.signal);
  return false;
}
