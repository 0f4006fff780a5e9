/** A decky name: it is also the container's hostname and a Docker name prefix. */
const DECKY_NAME_REGEXP = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Checks a decky name against the fleet file's rule: 1-63 lower-case
 * letters, digits and "-", a letter or digit at both ends (a DNS label, so
 * it serves as hostname and container name). Every entry point (fleet file,
 * API paths and bodies, CLI flags) uses this one check. Like every
 * validator here it says what was expected; the caller names the field and
 * the value.
 *
 * @param name the name to check
 * @returns the name unchanged
 * @throws {SyntaxError} `expected a decky name of …`
 * @example
 * ```ts
 * validateDeckyName("ws-01"); // "ws-01"
 * validateDeckyName("../x"); // throws SyntaxError
 * ```
 */
export function validateDeckyName(name: string): string {
  if (!DECKY_NAME_REGEXP.test(name)) {
    throw new SyntaxError('expected a decky name of lower-case letters, digits and "-" (1-63)');
  }
  return name;
}
