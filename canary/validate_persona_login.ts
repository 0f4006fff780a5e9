/** A POSIX-style account name (as `useradd` accepts by default), at most 32 characters. */
const PERSONA_LOGIN_REGEXP = /^[a-z_][a-z0-9_.-]{0,31}$/;

/**
 * Checks the account name a bait's persona logs in as: it becomes a home
 * directory (`/home/<login>`, `C:\Users\<login>`) and an SSH key comment.
 * One check for the API's token body and `decnet canary generate --login`.
 *
 * @param login the account name
 * @returns the login unchanged
 * @throws {SyntaxError} `expected a login of …` (the caller names the field and the value)
 * @example
 * ```ts
 * validatePersonaLogin("jdoe"); // "jdoe"
 * validatePersonaLogin("../root"); // throws SyntaxError
 * ```
 */
export function validatePersonaLogin(login: string): string {
  if (!PERSONA_LOGIN_REGEXP.test(login)) {
    throw new SyntaxError(
      "expected a login of lower-case letters, digits, dots, dashes or underscores (1-32, not starting with a digit, dot or dash)",
    );
  }
  return login;
}
