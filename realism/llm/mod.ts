/**
 * LLM backends for realism text (ollama, OpenAI-compatible, fake), the
 * factory that picks one from the settings, and a circuit breaker.
 *
 * @module
 */
export type { GenerateOptions, GenerateResult, LLMBackend } from "./base.ts";
export { createLlmBackend } from "./factory.ts";
export type { LlmSettings } from "./factory.ts";
export { FakeBackend } from "./fake_backend.ts";
export { LLMCircuitBreaker } from "./llm_circuit_breaker.ts";
export type {
  BreakerHealth,
  BreakerState,
  LLMCircuitBreakerOptions,
} from "./llm_circuit_breaker.ts";
export { OllamaBackend } from "./ollama_backend.ts";
export type { OllamaBackendOptions } from "./ollama_backend.ts";
export { OpenAiBackend } from "./openai_backend.ts";
export type { OpenAiBackendOptions } from "./openai_backend.ts";
