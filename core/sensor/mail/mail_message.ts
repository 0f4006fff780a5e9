/**
 * One stored message as IMAP and POP3 serve it: the bytes a client
 * fetches (CRLF line ends, latin1 so every byte survives) and what the
 * store knew about it.
 */
export interface MailMessage {
  /** Header and body, CRLF line ends, without the store's own headers. */
  raw: string;
  /** When it was delivered (mbox `From ` line, Maildir file time). */
  internalDate: Date;
  /** System flags the store recorded (`\Seen`, `\Answered`, ...). */
  flags: readonly string[];
}
