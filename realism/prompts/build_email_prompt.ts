import { pickSome } from "../_random.ts";
import type { Persona } from "../persona.ts";
import { EM_DASH_RULE } from "./em_dash_style.ts";
import { languageName } from "./language_name.ts";

/** One earlier message of a thread, oldest first. */
export interface ThreadMessage {
  from: string;
  body: string;
}

/** Options for {@linkcode buildEmailPrompt}. */
export interface EmailPromptOptions {
  sender: Persona;
  recipient: Pick<Persona, "name" | "role">;
  rand: () => number;
  subject?: string;
  /** Earlier messages when this is a reply. */
  thread?: readonly ThreadMessage[];
}

/**
 * The prompt asking an LLM for the body of a work e-mail from one persona
 * to another (a new message or a reply), in the sender's language and
 * voice, ending with their signature.
 *
 * @param options sender, recipient, subject, thread and randomness
 * @returns the prompt text
 */
export function buildEmailPrompt(options: EmailPromptOptions): string {
  const { sender, recipient, rand } = options;
  const mannerisms = pickSome(rand, sender.mannerisms, rand() < 0.5 ? 1 : 2);
  const thread = options.thread ?? [];
  const lines = [
    `You are ${sender.name}, ${sender.role}, writing a work e-mail to ${recipient.name} (${recipient.role}).`,
    thread.length > 0
      ? `Reply to the last message of this thread${
        options.subject ? ` ("${options.subject}")` : ""
      }:`
      : `Write a new message${
        options.subject
          ? ` with the subject "${options.subject}"`
          : " about something ordinary at work"
      }.`,
    ...thread.slice(-4).map((m) => `--- from ${m.from} ---\n${m.body.trim().slice(0, 1500)}`),
    `Tone: ${sender.tone}.`,
    ...(mannerisms.length > 0
      ? [`Habits that show in your writing: ${mannerisms.join("; ")}.`]
      : []),
    `Write only in ${languageName(sender.language)}; do not mix in words from other languages.`,
    "Two to six sentences, with a greeting and a sign-off.",
    sender.signature
      ? `End with this signature exactly:\n${sender.signature}`
      : `Sign with your first name.`,
    ...(sender.uses_llms_heavily ? [] : [EM_DASH_RULE]),
    "Output only the e-mail body: no subject line, no headers, no explanation.",
  ];
  return lines.join("\n");
}
