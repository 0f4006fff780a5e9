import { postJson } from "./_post_json.ts";
import type { GenerateOptions, GenerateResult, LLMBackend } from "./base.ts";

/** Options for {@linkcode OpenAiBackend}. */
export interface OpenAiBackendOptions {
  /** Server base URL, with or without a trailing `/v1`. */
  url: string;
  model: string;
  /** Sent as `Authorization: Bearer <key>` when set. */
  apiKey?: string | null;
}

/** Any OpenAI-compatible server (llama.cpp, vLLM, ...) through `/v1/chat/completions`. */
export class OpenAiBackend implements LLMBackend {
  readonly name = "openai";
  readonly model: string;
  readonly #endpoint: string;
  readonly #apiKey: string | null;

  constructor(options: OpenAiBackendOptions) {
    const base = options.url.replace(/\/+$/, "").replace(/\/v1$/, "");
    this.#endpoint = `${base}/v1/chat/completions`;
    this.model = options.model;
    this.#apiKey = options.apiKey ?? null;
  }

  /** Generates text; failures come back as `{ ok: false, error }`. */
  async generate(prompt: string, options: GenerateOptions): Promise<GenerateResult> {
    const r = await postJson(
      this.#endpoint,
      { model: this.model, messages: [{ role: "user", content: prompt }], stream: false },
      { ...options, headers: this.#apiKey ? { authorization: `Bearer ${this.#apiKey}` } : {} },
    );
    if (!r.ok) return { ok: false, text: "", model: this.model, ms: r.ms, error: r.error };
    const content = (r.json as { choices?: { message?: { content?: unknown } }[] } | null)
      ?.choices?.[0]?.message?.content;
    if (typeof content !== "string") {
      return {
        ok: false,
        text: "",
        model: this.model,
        ms: r.ms,
        error: "malformed reply: no choices[0].message.content",
      };
    }
    return { ok: true, text: content, model: this.model, ms: r.ms };
  }
}
