/** Longest accepted persona display name. */
export const MAX_PERSONA_NAME_LENGTH = 120;

/**
 * Checks a persona's display name, wherever it comes from: the realism
 * persona pool (it ends up in mail headers, file contents and bait) and a
 * canary token's persona (document author, "Prepared by" lines): 1-120
 * characters, not blank, no control character (no CR/LF to break a header)
 * and no `<` or `>`. Any script is fine; generators whose format cannot carry
 * a character substitute it. One check for the pool, the API's token body and
 * `decnet canary generate --name`.
 *
 * @param name the display name
 * @returns the name unchanged
 * @throws {SyntaxError} saying what was expected (the caller names the field and the value)
 * @example
 * ```ts
 * validatePersonaName("Zoë Ångström"); // "Zoë Ångström"
 * validatePersonaName("<b>x</b>"); // throws SyntaxError
 * ```
 */
export function validatePersonaName(name: string): string {
  const refuse = (expected: string): never => {
    throw new SyntaxError(`expected ${expected}`);
  };
  if (name.trim() === "" || name.length > MAX_PERSONA_NAME_LENGTH) {
    refuse(`a display name of 1-${MAX_PERSONA_NAME_LENGTH} characters`);
  }
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(name)) {
    refuse("a display name without control characters");
  }
  if (/[<>]/.test(name)) refuse("a display name without '<' or '>'");
  return name;
}
