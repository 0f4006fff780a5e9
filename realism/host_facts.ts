/**
 * What is known of a decky's accounts and software (from a survey of it), so
 * generated log lines agree with the machine: real uids, only programs that
 * run, only peers that exist.
 */
export interface HostFacts {
  /** Login -> uid, from the decky's /etc/passwd. */
  readonly uids: Readonly<Record<string, number>>;
  /**
   * Programs that run there, by the survey's daemon names (sshd, cron,
   * syslog, systemd, ntp, dhclient, smartd, ...), plus "sudo" when installed.
   */
  readonly running: ReadonlySet<string>;
  /** Addresses of LAN peers that may log in (empty: no login lines from peers). */
  readonly peers: readonly string[];
}
