import { DEFAULT_REALISM_CONFIG, MAX_WEIGHT, parseRealismConfig } from "./realism_config.ts";
import type { RealismConfig, RealismConfigIssue } from "./realism_config.ts";

/** Relative weights of the three kinds of tick action. */
export interface ActionWeights {
  readonly traffic: number;
  readonly file: number;
  readonly email: number;
}

/** Default action mix: traffic 45, file 45, email 10. */
export const DEFAULT_ACTION_WEIGHTS: ActionWeights = Object.freeze({
  traffic: 45,
  file: 45,
  email: 10,
});

/** Settings key under which the realism settings are stored. */
export const REALISM_SETTINGS_KEY = "realism.config";

/** LLM settings an operator may change at run time (backend and URL stay in DECNET_*). */
export interface RealismLlmSettings {
  /** true/false overrides DECNET_REALISM_LLM being set; null follows it. */
  readonly enabled: boolean | null;
  /** Model asked of the server; null: DECNET_REALISM_MODEL. */
  readonly model: string | null;
  /** Per-request timeout; null: DECNET_REALISM_TIMEOUT. */
  readonly timeout_seconds: number | null;
}

/** Everything the orchestrator reads from the settings table; snake_case as on the wire. */
export interface RealismSettings extends RealismConfig {
  readonly action_weights: ActionWeights;
  readonly llm: RealismLlmSettings;
}

/** Settings in effect when none are stored. */
export const DEFAULT_REALISM_SETTINGS: RealismSettings = Object.freeze({
  ...DEFAULT_REALISM_CONFIG,
  action_weights: DEFAULT_ACTION_WEIGHTS,
  llm: Object.freeze({ enabled: null, model: null, timeout_seconds: null }),
});

/** Result of {@linkcode parseRealismSettings}: all or nothing. */
export type ParseRealismSettingsResult =
  | { ok: true; settings: RealismSettings }
  | { ok: false; errors: RealismConfigIssue[] };

const MODEL_REGEXP = /^[\w.:/@+-]{1,200}$/;

/**
 * Validates the whole realism settings document (an API body or the stored
 * JSON): class weights and canary probability as `parseRealismConfig`, the
 * action mix (traffic/file/email, not all zero) and the LLM settings.
 * Missing fields take their defaults; every issue is reported at once.
 *
 * @param input parsed JSON
 * @returns the frozen settings, or every issue found
 */
export function parseRealismSettings(input: unknown): ParseRealismSettingsResult {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ field: "", message: "expected a JSON object" }] };
  }
  const { action_weights: rawActions, llm: rawLlm, ...rest } = input as Record<string, unknown>;
  const errors: RealismConfigIssue[] = [];
  const realism = parseRealismConfig(rest);
  if (!realism.ok) errors.push(...realism.errors);
  const actions = { ...DEFAULT_ACTION_WEIGHTS };
  if (rawActions !== undefined) {
    if (typeof rawActions !== "object" || rawActions === null || Array.isArray(rawActions)) {
      errors.push({
        field: "action_weights",
        message: "expected an object {traffic, file, email}",
      });
    } else {
      for (const [k, v] of Object.entries(rawActions)) {
        if (k !== "traffic" && k !== "file" && k !== "email") {
          errors.push({ field: `action_weights.${k}`, message: "expected traffic, file or email" });
        } else if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > MAX_WEIGHT) {
          errors.push({
            field: `action_weights.${k}`,
            message: `expected a number 0-${MAX_WEIGHT}, got ${JSON.stringify(v)}`,
          });
        } else actions[k] = v;
      }
      if (actions.traffic + actions.file + actions.email <= 0) {
        errors.push({ field: "action_weights", message: "at least one weight must be above 0" });
      }
    }
  }
  let llm: RealismLlmSettings = DEFAULT_REALISM_SETTINGS.llm;
  if (rawLlm !== undefined) {
    if (typeof rawLlm !== "object" || rawLlm === null || Array.isArray(rawLlm)) {
      errors.push({
        field: "llm",
        message: "expected an object {enabled, model, timeout_seconds}",
      });
    } else {
      const r = rawLlm as Record<string, unknown>;
      for (const k of Object.keys(r)) {
        if (!["enabled", "model", "timeout_seconds"].includes(k)) {
          errors.push({ field: `llm.${k}`, message: "unknown field" });
        }
      }
      const enabled = r.enabled ?? null;
      if (enabled !== null && typeof enabled !== "boolean") {
        errors.push({ field: "llm.enabled", message: "expected true, false or null" });
      }
      const model = r.model ?? null;
      if (model !== null && (typeof model !== "string" || !MODEL_REGEXP.test(model))) {
        errors.push({
          field: "llm.model",
          message: `expected a model name such as "llama3.1", got ${JSON.stringify(model)}`,
        });
      }
      const timeout = r.timeout_seconds ?? null;
      if (
        timeout !== null &&
        (typeof timeout !== "number" || !Number.isFinite(timeout) || timeout < 0.1 ||
          timeout > 3600)
      ) {
        errors.push({
          field: "llm.timeout_seconds",
          message: `expected a number 0.1-3600, got ${JSON.stringify(timeout)}`,
        });
      }
      llm = Object.freeze({
        enabled: enabled as boolean | null,
        model: model as string | null,
        timeout_seconds: timeout as number | null,
      });
    }
  }
  if (errors.length > 0 || !realism.ok) return { ok: false, errors };
  return {
    ok: true,
    settings: Object.freeze({
      ...realism.config,
      action_weights: Object.freeze(actions),
      llm,
    }),
  };
}
