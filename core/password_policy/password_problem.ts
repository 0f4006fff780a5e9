import { gunzipSync } from "node:zlib";
import { COMMON_PASSWORDS_GZIP_BASE64 } from "./_common_passwords.ts";

/** Shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest password accepted (scrypt hashes any length; this bounds the work). */
export const MAX_PASSWORD_LENGTH = 1024;

// Shorter cores ("sex", "198") would refuse random-looking passwords by accident.
const MIN_CORE_LENGTH = 4;
// Digits, whitespace, punctuation and symbols people pad a common word with.
const PADDING_REGEXP = /^[\d\s\p{P}\p{S}]+|[\d\s\p{P}\p{S}]+$/gu;

let common: Set<string> | undefined;

/** The shipped list (10,000 most common passwords), decompressed on first use. */
function commonPasswords(): Set<string> {
  common ??= new Set(
    new TextDecoder().decode(gunzipSync(Uint8Array.from(
      atob(COMMON_PASSWORDS_GZIP_BASE64),
      (c) => c.charCodeAt(0),
    ))).split("\n"),
  );
  return common;
}

/**
 * Why a new password is refused, or null when it is fine: fewer than 12 or
 * more than 1024 characters; not valid Unicode (an unpaired surrogate, or
 * U+FFFD, which is what invalid UTF-8 decodes to); one of the 10,000 most
 * common passwords (shipped with the binary), case-insensitively, also with
 * digits or symbols around it (`Password2024!`). The reason reads after a
 * field name ("expected …") and never repeats the password.
 *
 * @param password the candidate (for `decnet user add/passwd`, the API's user
 *   routes and DECNET_ADMIN_PASSWORD)
 * @returns the reason, or null
 * @example
 * ```ts
 * passwordProblem("dragon2024!!!"); // "expected a password that is not …"
 * passwordProblem("long unusual passphrase"); // null
 * ```
 */
export function passwordProblem(password: string): string | null {
  if (!password.isWellFormed() || password.includes("\uFFFD")) {
    return "expected valid UTF-8 text (it holds invalid bytes or an unpaired surrogate)";
  }
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `expected at least ${MIN_PASSWORD_LENGTH} characters`;
  if (length > MAX_PASSWORD_LENGTH) return `expected at most ${MAX_PASSWORD_LENGTH} characters`;
  const folded = password.normalize("NFKC").toLowerCase();
  const core = folded.replace(PADDING_REGEXP, "");
  const list = commonPasswords();
  if (list.has(folded) || (core.length >= MIN_CORE_LENGTH && list.has(core))) {
    return "expected a password that is not one of the 10,000 most common ones, " +
      "nor one of them with digits or symbols around it";
  }
  return null;
}
