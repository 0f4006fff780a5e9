import type { GenerateOptions, GenerateResult, LLMBackend } from "./base.ts";

/** Returns canned text (DECNET_REALISM_FAKE_OUTPUT) for tests and demos. */
export class FakeBackend implements LLMBackend {
  readonly name = "fake";
  readonly model = "fake";
  readonly #output: string;

  constructor(output: string) {
    this.#output = output;
  }

  /** Resolves at once with the canned text (or "aborted" when the signal already fired). */
  generate(_prompt: string, options: GenerateOptions): Promise<GenerateResult> {
    if (options.signal?.aborted) {
      return Promise.resolve({ ok: false, text: "", model: "fake", ms: 0, error: "aborted" });
    }
    return Promise.resolve({ ok: true, text: this.#output, model: "fake", ms: 0 });
  }
}
