/** Characters of a value shown in an error message before it is cut. */
const QUOTED_VALUE_MAX = 64;

/**
 * A value as error messages show it: JSON-quoted (so NUL, newlines and
 * markup stay visible and inert) and cut after 64
 * characters, so a 5,000-character input does not become a 5,000-character
 * message.
 *
 * @param value the offending input
 * @returns the quoted, possibly shortened value
 * @example
 * ```ts
 * quoteValue("a\0b"); // "\"a\\u0000b\""
 * quoteValue("x".repeat(5000)).endsWith("… (5000 characters)"); // true
 * ```
 */
export function quoteValue(value: string): string {
  if (value.length <= QUOTED_VALUE_MAX) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, QUOTED_VALUE_MAX))}… (${value.length} characters)`;
}
