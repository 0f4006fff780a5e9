import type { SensorSession } from "../sensor_service.ts";
import type { SensorServiceOptions } from "../sensor_options.ts";
import { MailSpool } from "./mail_spool.ts";

// One spool per service entry, shared by its sessions: the parse cache and
// the flags clients set live as long as the service.
const SPOOLS = new WeakMap<SensorServiceOptions, MailSpool>();

/**
 * The mail spool a session's service serves (options `mailSpool`,
 * `mailboxOwner`, `hostname`), created on first use and then shared by
 * every session of that service.
 *
 * @param session the client's session
 * @returns the spool
 * @example
 * ```ts
 * declare const session: SensorSession;
 * const inbox = await sessionSpool(session).mailbox("ana");
 * ```
 */
export function sessionSpool(session: SensorSession): MailSpool {
  let spool = SPOOLS.get(session.options);
  if (!spool) {
    spool = new MailSpool({
      dir: session.options.mailSpool,
      owner: session.options.mailboxOwner,
      // The fallback mail must not change between connections to one decky.
      decky: session.options.hostname ?? session.local.ip,
      hostname: session.options.hostname,
      now: session.now,
    });
    SPOOLS.set(session.options, spool);
  }
  return spool;
}
