/**
 * A rule's message ("expected ...") as the dashboard shows it, capitalised.
 *
 * @example
 * ```ts
 * sentenceCase("expected a number 0-1, got 2"); // "Expected a number 0-1, got 2"
 * ```
 */
export function sentenceCase(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}
