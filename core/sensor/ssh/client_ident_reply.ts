/** OpenSSH's longest accepted identification line (SSH_MAX_BANNER_LEN). */
export const MAX_IDENT_LENGTH = 8192;

const IDENT_REGEXP = /^SSH-(\d+)\.(\d+)-(.+)$/s;

/**
 * What OpenSSH's sshd sends back before closing when a client's first line
 * is not an identification it accepts (kex_exchange_identification in
 * OpenSSH 9.2), or undefined when the line is a usable SSH-2 identification.
 * `null` stands for a line over {@linkcode MAX_IDENT_LENGTH} bytes.
 *
 * @example
 * ```ts
 * clientIdentReply("GET / HTTP/1.1"); // "Invalid SSH identification string.\r\n"
 * clientIdentReply("SSH-1.5-x"); // "Protocol major versions differ.\r\n"
 * clientIdentReply("SSH-2.0-OpenSSH_9.2p1"); // undefined
 * ```
 */
export function clientIdentReply(line: string | null): string | undefined {
  const invalid = "Invalid SSH identification string.\r\n";
  // sshd refuses NUL and a CR not followed by LF anywhere in the line.
  if (line === null || line.includes("\0") || line.includes("\r")) return invalid;
  const match = IDENT_REGEXP.exec(line);
  if (!match) return invalid;
  const major = Number(match[1]);
  const minor = Number(match[2]);
  if (major === 2 || (major === 1 && minor === 99)) return undefined;
  return "Protocol major versions differ.\r\n";
}
