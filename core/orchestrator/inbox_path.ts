/**
 * Where dovecot keeps a user's INBOX, read from its `mail_location` (the
 * `INBOX=` path when set, else the location's own path), with `%u`/`%n`
 * and `~` expanded. Pure.
 *
 * @param mailLocation e.g. "mbox:~/mail:INBOX=/var/mail/%u" or "maildir:~/Maildir"
 * @param user the login and home it is read for
 * @returns the absolute path, or null when the location names none
 * @example
 * ```ts
 * inboxPath("mbox:~/mail:INBOX=/var/mail/%u", { login: "ana", home: "/home/ana" }); // "/var/mail/ana"
 * ```
 */
export function inboxPath(
  mailLocation: string,
  user: { login: string; home: string },
): string | null {
  const parts = mailLocation.split(":");
  const inbox = parts.find((p) => p.startsWith("INBOX="))?.slice("INBOX=".length);
  const raw = inbox ?? (parts.length > 1 ? parts[1] : parts[0]);
  const path = raw.replace(/%[un]/g, user.login).replace(/^~(?=\/|$)/, user.home);
  return path.startsWith("/") ? path : null;
}
