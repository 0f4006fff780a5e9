import { isUser } from "./content_class.ts";
import type { ContentClass } from "./content_class.ts";
import type { LLMBackend } from "./llm/base.ts";
import type { LLMCircuitBreaker } from "./llm/llm_circuit_breaker.ts";
import { bodyContext, makeBody } from "./make_body.ts";
import type { MakeBodyOptions } from "./make_body.ts";
import { buildFileBodyPrompt } from "./prompts/build_file_body_prompt.ts";
import { stripEmDashes } from "./prompts/em_dash_style.ts";

/** Options for {@linkcode makeBodyWithLlm}. */
export interface MakeBodyWithLlmOptions extends MakeBodyOptions {
  /** null: templates only. */
  llm: LLMBackend | null;
  /** Skips the LLM while open; fed with every outcome. */
  breaker?: LLMCircuitBreaker | null;
  /** Per-request timeout (DECNET_REALISM_TIMEOUT). @default 60000 */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** A topic for the LLM. */
  hint?: string;
}

/** A body and where it came from. */
export interface BodyWithSource {
  body: string;
  source: "llm" | "template";
  /** Model that wrote it (source "llm"). */
  model?: string;
  /** Why the template was used although an LLM is configured. */
  error?: string;
}

const FENCE_REGEXP = /^```[\w-]*\n([\s\S]*?)\n```\s*$/;

/**
 * A user-class body written by the LLM when one is configured and the
 * breaker allows it; the template otherwise, and on timeout, error or
 * empty output. Em-dashes are stripped unless the persona uses LLMs heavily.
 *
 * @param contentClass note, todo, draft or script
 * @param options as for makeBody, plus the LLM, breaker and timeout
 * @returns the body with its source
 * @throws {TypeError} for a class that is not a user class
 */
export async function makeBodyWithLlm(
  contentClass: ContentClass,
  options: MakeBodyWithLlmOptions,
): Promise<BodyWithSource> {
  if (!isUser(contentClass)) {
    throw new TypeError(`Cannot write body with LLM: not a user class, got "${contentClass}"`);
  }
  const fallback = (error?: string): BodyWithSource => ({
    body: makeBody(contentClass, options),
    source: "template",
    ...(error ? { error } : {}),
  });
  const { llm, breaker } = options;
  if (llm === null) return fallback();
  if (breaker && !breaker.allow()) return fallback("circuit breaker open");
  const ctx = bodyContext(options);
  const prompt = buildFileBodyPrompt(contentClass, {
    persona: options.persona,
    host: ctx.host,
    path: ctx.path || "~/notes.txt",
    rand: options.rand,
    hint: options.hint,
  });
  const result = await llm.generate(prompt, {
    timeoutMs: options.timeoutMs ?? 60_000,
    signal: options.signal,
  });
  let text = result.ok ? cleanOutput(result.text) : "";
  if (!result.ok || text === "") {
    breaker?.recordFailure();
    return fallback(result.ok ? "empty output" : result.error);
  }
  breaker?.recordSuccess();
  if (contentClass === "script" && !text.startsWith("#!")) {
    return fallback("script without a shebang");
  }
  if (!options.persona.uses_llms_heavily) text = stripEmDashes(text);
  return { body: text, source: "llm", model: result.model };
}

function cleanOutput(raw: string): string {
  let text = raw.replace(/\r\n/g, "\n").trim();
  const fenced = FENCE_REGEXP.exec(text);
  if (fenced) text = fenced[1].trim();
  return text === "" ? "" : `${text}\n`;
}
