/** A content class and the group it belongs to (user, system, canary). */
export interface ClassInfo {
  name: string;
  group: "user" | "system" | "canary";
}

/** The editable realism settings, as the form holds them (raw text per number input). */
export interface RealismForm {
  weights: Record<string, string>;
  canary_probability: string;
  action_weights: Record<"traffic" | "file" | "email", string>;
}

/** Largest weight the server accepts. */
export const MAX_WEIGHT = 1_000_000;

/**
 * Field (`weights.note`, `canary_probability`, `action_weights`, ...) ->
 * message for everything wrong, with the server's rules: numbers in range,
 * at least one user and one system class weighted (and a canary class when
 * the canary probability is above 0), at least one action weighted.
 *
 * @example
 * ```ts
 * validateRealism(form, classes)["canary_probability"]; // "Expected a number from 0 to 1"
 * ```
 */
export function validateRealism(
  form: RealismForm,
  classes: readonly ClassInfo[],
): Record<string, string> {
  const errors: Record<string, string> = {};
  const num = (raw: string | undefined, max: number, field: string): number => {
    const v = raw === undefined || raw.trim() === "" ? NaN : Number(raw);
    if (!Number.isFinite(v) || v < 0 || v > max) {
      errors[field] = `Expected a number from 0 to ${max.toLocaleString("en")}`;
      return 0;
    }
    return v;
  };
  const weights: Record<string, number> = {};
  for (const c of classes) {
    weights[c.name] = num(form.weights[c.name], MAX_WEIGHT, `weights.${c.name}`);
  }
  const canary = num(form.canary_probability, 1, "canary_probability");
  for (const group of ["user", "system", "canary"] as const) {
    if (group === "canary" && !(canary > 0)) continue;
    const names = classes.filter((c) => c.group === group).map((c) => c.name);
    if (names.length > 0 && names.every((n) => !(weights[n] > 0))) {
      errors[`weights.${group}`] = `At least one ${group} class needs a weight above 0`;
    }
  }
  let actions = 0;
  for (const k of ["traffic", "file", "email"] as const) {
    actions += num(form.action_weights[k], MAX_WEIGHT, `action_weights.${k}`);
  }
  if (actions <= 0 && !Object.keys(errors).some((k) => k.startsWith("action_weights."))) {
    errors.action_weights = "At least one action needs a weight above 0";
  }
  return errors;
}
