import type { SensorSession } from "../sensor_service.ts";
import { MailSpool } from "./mail_spool.ts";

// One spool per directory and owner, shared by IMAP and POP3 sessions as one
// Dovecot shares its mailboxes: the parse cache and the flags clients set
// live as long as the sensor.
const SPOOLS = new Map<string, MailSpool>();

/**
 * The mail spool a session's service serves (options `mailSpool`,
 * `mailboxOwner`, `hostname`), created on first use and then shared by
 * every session with the same options, whichever the protocol.
 *
 * @param session the client's session
 * @returns the spool
 * @example
 * ```ts
 * import type { SensorSession } from "../sensor_service.ts";
 * declare const session: SensorSession;
 * const inbox = await sessionSpool(session).mailbox("ana");
 * ```
 */
export function sessionSpool(session: SensorSession): MailSpool {
  const { mailSpool, mailboxOwner } = session.options;
  // The fallback mail must not change between connections to one decky,
  // whichever of its addresses they reach.
  const hostname = session.options.hostname ?? systemHostname() ?? session.local.ip;
  const key = JSON.stringify([mailSpool, mailboxOwner, hostname]);
  let spool = SPOOLS.get(key);
  if (!spool) {
    spool = new MailSpool({
      dir: mailSpool,
      owner: mailboxOwner,
      decky: hostname,
      hostname,
      now: session.now,
    });
    SPOOLS.set(key, spool);
  }
  return spool;
}

/** The host's name (the decky's: the sensor shares its namespaces), if the runtime may read it. */
function systemHostname(): string | undefined {
  try {
    return Deno.hostname();
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
      return undefined;
    }
    throw e;
  }
}
