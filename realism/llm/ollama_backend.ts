import { postJson } from "./_post_json.ts";
import type { GenerateOptions, GenerateResult, LLMBackend } from "./base.ts";

/** Options for {@linkcode OllamaBackend}. */
export interface OllamaBackendOptions {
  /** Server base URL. @default "http://127.0.0.1:11434" */
  url?: string;
  /** @default "llama3.1" */
  model?: string;
}

/** An ollama server, through its `/api/generate` endpoint (non-streaming). */
export class OllamaBackend implements LLMBackend {
  readonly name = "ollama";
  readonly model: string;
  readonly #url: string;

  constructor(options: OllamaBackendOptions = {}) {
    this.#url = (options.url ?? "http://127.0.0.1:11434").replace(/\/+$/, "");
    this.model = options.model ?? "llama3.1";
  }

  /** Generates text; failures come back as `{ ok: false, error }`. */
  async generate(prompt: string, options: GenerateOptions): Promise<GenerateResult> {
    const r = await postJson(
      `${this.#url}/api/generate`,
      { model: this.model, prompt, stream: false },
      options,
    );
    if (!r.ok) return { ok: false, text: "", model: this.model, ms: r.ms, error: r.error };
    const response = (r.json as { response?: unknown } | null)?.response;
    if (typeof response !== "string") {
      return {
        ok: false,
        text: "",
        model: this.model,
        ms: r.ms,
        error: "malformed reply: no response field",
      };
    }
    return { ok: true, text: response, model: this.model, ms: r.ms };
  }
}
