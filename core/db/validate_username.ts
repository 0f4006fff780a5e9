/** Valid account names: 1-64 letters, digits, dots, dashes or underscores. */
export const USERNAME_REGEXP = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Checks an account name: the one rule for `decnet user`, the users API
 * (bodies and paths) and DECNET_ADMIN_USER. Like every validator here it
 * says what was expected; the caller names the field and the value.
 *
 * @param name the account name
 * @returns the name unchanged
 * @throws {SyntaxError} `expected 1-64 letters, digits, dots, dashes or underscores`
 * @example
 * ```ts
 * validateUsername("vera"); // "vera"
 * ```
 */
export function validateUsername(name: string): string {
  if (!USERNAME_REGEXP.test(name)) {
    throw new SyntaxError("expected 1-64 letters, digits, dots, dashes or underscores");
  }
  return name;
}
