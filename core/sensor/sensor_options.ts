/** A username/password pair a service accepts as a successful login. */
export interface AcceptedCredential {
  username: string;
  password: string;
}

/**
 * Per-service options from the fleet file (`ssh.banner = ...`). Every field
 * is optional: each service has defaults that match the real server it
 * imitates.
 */
export interface SensorServiceOptions {
  /** Port to listen on; defaults to the service's well-known port. */
  port?: number;
  /** Banner or version string the service announces. */
  banner?: string;
  /** Host name shown in greetings and prompts. */
  hostname?: string;
  /** Logins that succeed; everything else is refused. @default [] */
  accept?: AcceptedCredential[];
  /** Whose mailbox IMAP/POP3 serve. */
  mailboxOwner?: string;
  /** Directory holding the decky's mail spool (IMAP/POP3). */
  mailSpool?: string;
  /**
   * The decky's own daemon for this protocol, on the decky's loopback
   * (`127.0.0.1:2222`): a service that relays accepted sessions connects there.
   */
  upstream?: string;
  /** Private key file the relay authenticates to {@linkcode upstream} with (read-only mount). */
  upstreamKey?: string;
  /** Login the relay uses on {@linkcode upstream}. */
  upstreamUser?: string;
}
