/** Longest API key name. */
export const MAX_API_KEY_NAME = 64;

// deno-lint-ignore no-control-regex
const CONTROL_REGEXP = /[\u0000-\u001f\u007f]/;

/**
 * Checks an API key's name: 1-64 characters, no control character (it is
 * shown in lists and the audit log).
 *
 * @returns the name
 * @throws {RangeError} when empty or too long
 * @throws {SyntaxError} when it holds a control character
 * @example
 * ```ts
 * validateApiKeyName("splunk-pull"); // "splunk-pull"
 * ```
 */
export function validateApiKeyName(name: string): string {
  if (name.length === 0 || name.length > MAX_API_KEY_NAME) {
    throw new RangeError(`expected 1-${MAX_API_KEY_NAME} characters, got ${name.length}`);
  }
  if (CONTROL_REGEXP.test(name)) throw new SyntaxError("expected no control character");
  return name;
}
