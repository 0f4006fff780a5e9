import type { LLMBackend } from "./base.ts";
import { FakeBackend } from "./fake_backend.ts";
import { OllamaBackend } from "./ollama_backend.ts";
import { OpenAiBackend } from "./openai_backend.ts";

/** The LLM settings from core/config, as a plain object (no dependency on Config). */
export interface LlmSettings {
  /** DECNET_REALISM_LLM: "ollama", "openai", "fake"; empty/off/none/0/false/disabled for none. */
  realismLlm: string;
  /** DECNET_REALISM_LLM_URL. @default "http://127.0.0.1:11434" */
  realismLlmUrl?: string;
  /** DECNET_REALISM_MODEL. @default "llama3.1" */
  realismModel?: string;
  /** DECNET_REALISM_API_KEY. */
  realismApiKey?: string | null;
  /** DECNET_REALISM_FAKE_OUTPUT. */
  realismFakeOutput?: string;
}

const NONE = new Set(["", "off", "none", "0", "false", "disabled"]);

/**
 * Builds the configured LLM backend, or null when none is configured.
 *
 * @param settings the realism LLM settings (a `Config` fits as is)
 * @returns the backend, or null for "no LLM"
 * @throws {RangeError} for an unknown backend name
 * @example
 * ```ts
 * import type { Config } from "../../core/config/config.ts";
 * declare const config: Config;
 * const llm = createLlmBackend(config); // Config has every field
 * ```
 */
export function createLlmBackend(settings: LlmSettings): LLMBackend | null {
  const kind = settings.realismLlm.trim().toLowerCase();
  if (NONE.has(kind)) return null;
  const url = settings.realismLlmUrl ?? "http://127.0.0.1:11434";
  const model = settings.realismModel ?? "llama3.1";
  switch (kind) {
    case "ollama":
      return new OllamaBackend({ url, model });
    case "openai":
      return new OpenAiBackend({ url, model, apiKey: settings.realismApiKey ?? null });
    case "fake":
      return new FakeBackend(
        settings.realismFakeOutput ?? "Reminder: follow up on the open items from this morning.",
      );
    default:
      throw new RangeError(
        `Cannot create LLM backend: expected ollama, openai, fake or none, got "${settings.realismLlm}"`,
      );
  }
}
