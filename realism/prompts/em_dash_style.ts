/**
 * The house rule against the em-dash, the punctuation that most gives LLM
 * text away; added to every prompt and enforced by {@linkcode stripEmDashes}.
 */
export const EM_DASH_RULE =
  "Never use em-dashes or en-dashes; use commas, colons, parentheses or full stops instead.";

const SPACED_DASH_REGEXP = /\s*[\u2014\u2015]\s*/g;
const EN_DASH_SPACED_REGEXP = /\s+\u2013\s+/g;

/**
 * Replaces em-dashes (and spaced en-dashes) with plain punctuation, the way
 * a person typing on a normal keyboard would have written them.
 *
 * @example
 * ```ts
 * stripEmDashes("Backups \u2014 all of them \u2014 failed"); // "Backups, all of them, failed"
 * ```
 */
export function stripEmDashes(text: string): string {
  return text
    .replace(SPACED_DASH_REGEXP, ", ")
    .replace(EN_DASH_SPACED_REGEXP, ", ")
    .replace(/, ([.,;:!?])/g, "$1")
    .replace(/^, /gm, "")
    .replace(/, $/gm, "");
}
