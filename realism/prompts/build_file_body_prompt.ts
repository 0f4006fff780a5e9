import { pickSome } from "../_random.ts";
import type { UserClass } from "../content_class.ts";
import type { Persona } from "../persona.ts";
import { EM_DASH_RULE } from "./em_dash_style.ts";
import { languageName } from "./language_name.ts";

/** Options for {@linkcode buildFileBodyPrompt}. */
export interface FileBodyPromptOptions {
  persona: Persona;
  /** Hostname of the machine the file lives on. */
  host: string;
  /** Where the file will be written. */
  path: string;
  rand: () => number;
  /** A topic to write about. */
  hint?: string;
}

const SHAPES: Record<UserClass, string> = {
  note:
    "a short personal note file: 3 to 8 lines, fragments and bullet points, no greeting, no title page",
  todo:
    "a TODO list in Markdown: a one-line heading, then 3 to 7 items as '- [ ] item' or '- [x] item'",
  draft:
    "an unfinished document draft in Markdown: a title, one or two short sections, an open question left in",
  script:
    "a short shell or Python script (start with the right shebang line) of 5 to 20 lines with a comment or two",
};

const TONE_TEXT: Record<Persona["tone"], string> = {
  formal: "formal and complete sentences",
  direct: "direct and terse",
  casual: "casual, lower-case is fine, abbreviations are fine",
  technical: "technical, precise, uses the jargon of the job",
  custom: "in their own recognisable voice",
};

/**
 * The prompt asking an LLM for a file body: class-conditioned shape,
 * persona context, one or two of their mannerisms, their language only,
 * and a strict output rule (the body and nothing else).
 *
 * @param contentClass a user class
 * @param options persona, host, path and randomness
 * @returns the prompt text
 */
export function buildFileBodyPrompt(
  contentClass: UserClass,
  options: FileBodyPromptOptions,
): string {
  const { persona, rand } = options;
  const mannerisms = pickSome(rand, persona.mannerisms, rand() < 0.5 ? 1 : 2);
  const language = languageName(persona.language);
  const lines = [
    `You are ${persona.name}, ${persona.role}. You are writing a file on your work computer "${options.host}" at ${options.path}.`,
    `Write ${SHAPES[contentClass]}.`,
    `Your writing style is ${TONE_TEXT[persona.tone]}.`,
    ...(mannerisms.length > 0
      ? [`Habits that show in your writing: ${mannerisms.join("; ")}.`]
      : []),
    ...(options.hint ? [`It is about: ${options.hint}.`] : []),
    `Write only in ${language}; do not mix in words from other languages.`,
    "Keep it plausible and specific to your job; invent names of colleagues, vendors and systems as needed, never real companies.",
    ...(persona.uses_llms_heavily ? [] : [EM_DASH_RULE]),
    "Output only the file contents, exactly as saved on disk: no introduction, no explanation, no code fences.",
  ];
  return lines.join("\n");
}
