/** Options for one {@linkcode LLMBackend.generate} call. */
export interface GenerateOptions {
  /** Abort the request after this long. */
  timeoutMs: number;
  /** Abort early (shutdown). */
  signal?: AbortSignal;
}

/** Outcome of a generation: never throws for network or server trouble. */
export interface GenerateResult {
  ok: boolean;
  /** The generated text ("" on failure). */
  text: string;
  model: string;
  /** Wall time of the request in milliseconds. */
  ms: number;
  /** What went wrong when `ok` is false. */
  error?: string;
}

/** A text generator behind HTTP (ollama, OpenAI-compatible) or a fake. */
export interface LLMBackend {
  /** Backend name for logs and health ("ollama", "openai", "fake"). */
  readonly name: string;
  readonly model: string;
  generate(prompt: string, options: GenerateOptions): Promise<GenerateResult>;
}
