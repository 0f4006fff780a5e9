import { duplicatePersonaIssue, personaIssues } from "../realism/parse_personas.ts";
import type { Persona } from "../realism/persona.ts";
import { sentenceCase } from "./sentence_case.ts";

/**
 * The persona the editor's form holds, with its optional fields dropped when
 * left empty (the form edits them as text).
 *
 * @example
 * ```ts
 * import type { Persona } from "../realism/persona.ts";
 * declare const persona: Persona;
 * cleanPersonaDraft({ ...persona, timezone: "" }).timezone; // undefined
 * ```
 */
export function cleanPersonaDraft(draft: Persona): Persona {
  const { signature, timezone, ...rest } = draft;
  return { ...rest, ...(signature ? { signature } : {}), ...(timezone ? { timezone } : {}) };
}

/**
 * Field -> message for a persona being edited, by the pool's own rules
 * (realism's `personaIssues` and `duplicatePersonaIssue`, the ones the
 * server applies): what is wrong with it, and a name or address another
 * persona of the batch already uses.
 *
 * @param draft the persona in the form
 * @param others the rest of the batch
 * @returns an empty object when the draft can join the batch
 * @example
 * ```ts
 * import type { Persona } from "../realism/persona.ts";
 * import { personaDraftErrors } from "./persona_draft_errors.ts";
 * declare const ana: Persona;
 * personaDraftErrors({ ...ana, email: "nope" }, []).email; // 'Expected an address like ana@example.com, got "nope"'
 * ```
 */
export function personaDraftErrors(
  draft: Persona,
  others: readonly Persona[],
): Record<string, string> {
  const clean = cleanPersonaDraft(draft);
  const errors: Record<string, string> = {};
  for (const issue of personaIssues(clean)) {
    errors[issue.field] ??= sentenceCase(issue.message);
  }
  const duplicate = typeof clean.name === "string" && typeof clean.email === "string"
    ? duplicatePersonaIssue(clean, others)
    : null;
  if (duplicate) errors[duplicate.field] ??= sentenceCase(duplicate.message);
  return errors;
}
