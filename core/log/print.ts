/**
 * Writes command output (tables, JSON, prompts) to stdout. The CLI's one
 * door to the terminal besides the logger, so no other module needs console.
 *
 * @example
 * ```ts
 * printLine("API listening on http://127.0.0.1:8000");
 * ```
 */
export function printLine(text: string): void {
  console.log(text);
}

/** Writes a line to stderr (usage errors, warnings meant for a person). */
export function printError(text: string): void {
  console.error(text);
}
