/** Collation ids of latin1, whose bytes MariaDB echoes back unchanged. */
const LATIN1_COLLATIONS = new Set([5, 8, 15, 31, 47, 48, 49, 94]);
/** USERNAME_CHAR_LENGTH: MariaDB keeps this many characters of a user name. */
const MAX_CHARS = 128;

/**
 * A user name as MariaDB 10.11 writes it into "Access denied for user '…'":
 * for a UTF-8 client, converted to its utf8mb3 system charset (each byte of a
 * broken sequence and each 4-byte character becomes '?'), for a latin1
 * client the bytes as sent; at most 128 characters.
 *
 * @param user the user name bytes from the handshake response
 * @param charset the collation id the client announced
 * @returns the bytes MariaDB puts between the quotes
 * @example
 * ```ts
 * mariadbUserText(Uint8Array.of(0x61, 0xc3), 45); // bytes of "a?"
 * ```
 */
export function mariadbUserText(user: Uint8Array, charset: number): Uint8Array {
  if (LATIN1_COLLATIONS.has(charset)) return user.slice(0, MAX_CHARS);
  const out: number[] = [];
  let chars = 0;
  for (let i = 0; i < user.length && chars < MAX_CHARS; chars++) {
    const n = utf8SequenceLength(user, i);
    if (n === 0) {
      out.push(0x3f);
      i++;
    } else if (n === 4) {
      out.push(0x3f);
      i += 4;
    } else {
      for (let k = 0; k < n; k++) out.push(user[i + k]);
      i += n;
    }
  }
  return Uint8Array.from(out);
}

/** Length of the valid UTF-8 sequence starting at `i`, or 0 when it is not one. */
function utf8SequenceLength(b: Uint8Array, i: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  const cont = (k: number) => i + k < b.length && (b[i + k] & 0xc0) === 0x80;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    if (!cont(1) || !cont(2)) return 0;
    if (c === 0xe0 && b[i + 1] < 0xa0) return 0;
    if (c === 0xed && b[i + 1] >= 0xa0) return 0;
    return 3;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c === 0xf0 && b[i + 1] < 0x90) return 0;
    if (c === 0xf4 && b[i + 1] >= 0x90) return 0;
    return 4;
  }
  return 0;
}
