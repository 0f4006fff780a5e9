/**
 * The mail the IMAP and POP3 sensors serve: a decky's mail spool (mbox or
 * Maildir per user, as Debian's Dovecot keeps it) read into cached
 * mailboxes, a generated INBOX when it is empty, and the message and SASL
 * parsing both protocols share.
 *
 * @module
 */
export { decodeSaslPlain } from "./decode_sasl_plain.ts";
export type { SaslPlain } from "./decode_sasl_plain.ts";
export { fallbackMailbox } from "./fallback_mailbox.ts";
export type { FallbackMailboxOptions } from "./fallback_mailbox.ts";
export { latin1Text } from "./latin1_text.ts";
export type { MailMessage } from "./mail_message.ts";
export { Mailbox } from "./mailbox.ts";
export type { MailboxEntry } from "./mailbox.ts";
export { MailSpool } from "./mail_spool.ts";
export type { MailSpoolOptions } from "./mail_spool.ts";
export { maildirFlags } from "./maildir_flags.ts";
export { parseMbox } from "./parse_mbox.ts";
export { headerFields, headerValue, splitMessage } from "./split_message.ts";
export type { MessageParts } from "./split_message.ts";
export { storedMessage } from "./stored_message.ts";
export { recordLogin } from "./record_login.ts";
export type { RecordLoginOptions } from "./record_login.ts";
export { sessionSpool } from "./session_spool.ts";
