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
  /**
   * Whose INBOX IMAP/POP3 show to an accepted login that has no mailbox of
   * its own in the spool. @default "root"
   */
  mailboxOwner?: string;
  /**
   * Directory holding the decky's mail spool (IMAP/POP3), laid out as
   * Debian's Dovecot keeps it: `<dir>/<login>` an mbox file (the stock
   * `mail_location = mbox:~/mail:INBOX=/var/mail/%u`, so the decky's
   * `/var/mail`), or `<dir>/<login>/{cur,new}` a Maildir. Read only; when
   * it is unset or holds no mail for the login, a generated INBOX is served.
   */
  mailSpool?: string;
  /**
   * SSH: folder with the host keys `ssh_host_{rsa,ecdsa,ed25519}_key` (the
   * layout of /etc/ssh), so the decky's host key survives restarts.
   * @default generated once per process
   */
  hostKeyDir?: string;
  /**
   * SSH: the decky's real sshd, listening only on the decky's loopback, to
   * which an accepted login is relayed (and recorded). Without it accepted
   * logins get no session channels.
   */
  upstream?: { hostname: string; port: number };
  /**
   * SSH: path of the private key (OpenSSH format) that logs in to
   * {@linkcode upstream} as the attacker's user; it exists only on that decky.
   */
  upstreamKeyPath?: string;
}
