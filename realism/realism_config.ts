import { CANARY_CLASSES, SYSTEM_CLASSES, USER_CLASSES } from "./content_class.ts";
import type { ContentClass } from "./content_class.ts";

/** Classes the file planner can choose (email has its own loop). */
export type PlannableClass = Exclude<ContentClass, "email">;

/** Every class the planner weighs, in a stable order. */
export const PLANNABLE_CLASSES: readonly PlannableClass[] = [
  ...USER_CLASSES,
  ...SYSTEM_CLASSES,
  ...CANARY_CLASSES,
];

/** The planner's tunables; snake_case as on the wire (the API reads and replaces it). */
export interface RealismConfig {
  /** Relative weight of each class inside its group (user, system, canary). */
  readonly weights: Readonly<Record<PlannableClass, number>>;
  /** Share of creates that plant a canary. */
  readonly canary_probability: number;
}

/** Default planner configuration. */
export const DEFAULT_REALISM_CONFIG: RealismConfig = Object.freeze({
  weights: Object.freeze({
    note: 30,
    todo: 20,
    draft: 15,
    script: 10,
    log_cron: 12,
    log_daemon: 8,
    cache_tmp: 5,
    canary_aws_creds: 1,
    canary_env_file: 1,
    canary_git_config: 1,
    canary_ssh_key: 1,
    canary_honeydoc: 1,
    canary_honeydoc_docx: 1,
    canary_honeydoc_pdf: 1,
    canary_mysql_dump: 1,
  }),
  canary_probability: 0.03,
});

/** One reason a config was refused. */
export interface RealismConfigIssue {
  /** Dotted path of the offending field ("weights.note"). */
  field: string;
  message: string;
}

/** Result of {@linkcode parseRealismConfig}: all or nothing. */
export type ParseRealismConfigResult =
  | { ok: true; config: RealismConfig }
  | { ok: false; errors: RealismConfigIssue[] };

/** Largest weight a class or an action may have. */
export const MAX_WEIGHT = 1_000_000;

/**
 * Validates a whole planner config (an API body or stored JSON). Missing
 * weights take their defaults; unknown fields, negative or non-finite
 * weights, a group whose weights are all zero, and a probability outside
 * [0, 1] are refused, every issue reported at once.
 *
 * @param input parsed JSON
 * @returns the frozen config, or every issue found
 * @example
 * ```ts
 * import { parseRealismConfig } from "./realism_config.ts";
 * import { HttpError } from "../web/http_error.ts";
 * const r = parseRealismConfig({ weights: { note: 50 }, canary_probability: 0.05 });
 * if (!r.ok) {
 *   throw new HttpError(400, "invalid_body", r.errors.map((e) => `${e.field}: ${e.message}`).join("; "));
 * }
 * ```
 */
export function parseRealismConfig(input: unknown): ParseRealismConfigResult {
  const errors: RealismConfigIssue[] = [];
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ field: "", message: "expected a JSON object" }] };
  }
  const r = input as Record<string, unknown>;
  for (const k of Object.keys(r)) {
    if (k !== "weights" && k !== "canary_probability") {
      errors.push({ field: k, message: "unknown field" });
    }
  }
  const weights: Record<string, number> = { ...DEFAULT_REALISM_CONFIG.weights };
  if (r.weights !== undefined) {
    if (typeof r.weights !== "object" || r.weights === null || Array.isArray(r.weights)) {
      errors.push({ field: "weights", message: "expected an object of class -> weight" });
    } else {
      for (const [k, v] of Object.entries(r.weights as Record<string, unknown>)) {
        if (!(PLANNABLE_CLASSES as readonly string[]).includes(k)) {
          errors.push({
            field: `weights.${k}`,
            message: `unknown content class; expected one of ${PLANNABLE_CLASSES.join(", ")}`,
          });
        } else if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > MAX_WEIGHT) {
          errors.push({
            field: `weights.${k}`,
            message: `expected a number 0-${MAX_WEIGHT}, got ${JSON.stringify(v)}`,
          });
        } else weights[k] = v;
      }
    }
  }
  let canary = DEFAULT_REALISM_CONFIG.canary_probability;
  if (r.canary_probability !== undefined) {
    const v = r.canary_probability;
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > 1) {
      errors.push({
        field: "canary_probability",
        message: `expected a number 0-1, got ${JSON.stringify(v)}`,
      });
    } else canary = v;
  }
  const groups: [string, readonly string[], boolean][] = [
    ["user", USER_CLASSES, true],
    ["system", SYSTEM_CLASSES, true],
    ["canary", CANARY_CLASSES, canary > 0],
  ];
  for (const [group, classes, needed] of groups) {
    if (needed && classes.every((c) => !(weights[c] > 0))) {
      errors.push({
        field: "weights",
        message: `at least one ${group} class needs a weight above 0 (${classes.join(", ")})`,
      });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    config: Object.freeze({
      weights: Object.freeze(weights as Record<PlannableClass, number>),
      canary_probability: canary,
    }),
  };
}

/**
 * Holds the planner config in effect: readers get one consistent object,
 * and a replacement is validated whole before it swaps in.
 *
 * @example
 * ```ts
 * import { RealismConfigStore } from "./realism_config.ts";
 * declare const body: unknown;
 * const store = new RealismConfigStore();
 * const r = store.replace(body); // on failure the old config stays
 * ```
 */
export class RealismConfigStore {
  #current: RealismConfig;

  constructor(initial: RealismConfig = DEFAULT_REALISM_CONFIG) {
    this.#current = initial;
  }

  /** The config in effect. */
  get current(): RealismConfig {
    return this.#current;
  }

  /** Validates `input`; when valid it replaces the current config, otherwise nothing changes. */
  replace(input: unknown): ParseRealismConfigResult {
    const result = parseRealismConfig(input);
    if (result.ok) this.#current = result.config;
    return result;
  }
}
