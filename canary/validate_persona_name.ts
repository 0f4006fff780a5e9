/** Longest accepted persona display name (the realism persona pool allows as much). */
export const MAX_PERSONA_NAME_LENGTH = 120;

/**
 * Checks the display name a bait's persona carries (document author,
 * "Prepared by" lines): 1-120 characters, not blank, no control character and
 * no `<` or `>`. Any script is fine; generators whose format cannot carry a
 * character substitute it. One check for the API's token body and
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
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) {
    refuse("a display name without control characters");
  }
  if (/[<>]/.test(name)) refuse("a display name without '<' or '>'");
  return name;
}
