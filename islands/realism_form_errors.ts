import { parseRealismSettings } from "../realism/realism_settings.ts";
import { sentenceCase } from "./sentence_case.ts";

/** The editable realism settings, as the form holds them (raw text per number input). */
export interface RealismForm {
  weights: Record<string, string>;
  canary_probability: string;
  action_weights: Record<"traffic" | "file" | "email", string>;
}

/** The form's numbers, as the API takes them; a blank input is NaN, which the rules refuse. */
export interface RealismFormSettings {
  weights: Record<string, number>;
  canary_probability: number;
  action_weights: Record<"traffic" | "file" | "email", number>;
}

const toNumber = (raw: string | undefined) =>
  raw === undefined || raw.trim() === "" ? NaN : Number(raw);

/**
 * The form's settings as numbers (the body of `PUT /api/v1/realism/config`,
 * LLM settings aside).
 *
 * @example
 * ```ts
 * import { type RealismForm, realismFormSettings } from "./realism_form_errors.ts";
 * declare const form: RealismForm; // canary_probability: "0.05"
 * realismFormSettings(form).canary_probability; // 0.05
 * ```
 */
export function realismFormSettings(form: RealismForm): RealismFormSettings {
  const numbers = <K extends string>(raw: Record<K, string>) =>
    Object.fromEntries(
      Object.entries<string>(raw).map(([k, v]) => [k, toNumber(v)]),
    ) as Record<K, number>;
  return {
    weights: numbers(form.weights),
    canary_probability: toNumber(form.canary_probability),
    action_weights: numbers(form.action_weights),
  };
}

/**
 * Field (`weights.note`, `weights`, `canary_probability`,
 * `action_weights.file`, ...) -> message for everything wrong with the form,
 * by the server's own rules (realism's `parseRealismSettings`); several
 * issues of one field are joined.
 *
 * @example
 * ```ts
 * import { type RealismForm, realismFormErrors } from "./realism_form_errors.ts";
 * declare const form: RealismForm;
 * realismFormErrors({ ...form, canary_probability: "1.5" }).canary_probability; // "Expected a number 0-1, got 1.5"
 * ```
 */
export function realismFormErrors(form: RealismForm): Record<string, string> {
  const result = parseRealismSettings(realismFormSettings(form));
  const errors: Record<string, string> = {};
  if (result.ok) return errors;
  for (const { field, message } of result.errors) {
    errors[field] = errors[field] ? `${errors[field]}; ${message}` : sentenceCase(message);
  }
  return errors;
}
