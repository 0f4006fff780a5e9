/**
 * Prompt builders for LLM-written realism text (file bodies, e-mail) and
 * the one style rule they all share: no em-dashes.
 *
 * @module
 */
export { buildEmailPrompt } from "./build_email_prompt.ts";
export type { EmailPromptOptions, ThreadMessage } from "./build_email_prompt.ts";
export { buildFileBodyPrompt } from "./build_file_body_prompt.ts";
export type { FileBodyPromptOptions } from "./build_file_body_prompt.ts";
export { EM_DASH_RULE, stripEmDashes } from "./em_dash_style.ts";
export { languageName } from "./language_name.ts";
