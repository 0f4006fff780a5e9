/**
 * The realism engine: what makes a decky look lived-in. Pure content logic
 * (taxonomy, diurnal timing, the tick planner, file names and bodies,
 * personas) that takes its clock and randomness as arguments, plus the
 * persona pool file, the LLM backends with their circuit breaker, and the
 * prompt builders. No database, no Docker.
 *
 * Records that are stored or sent on the wire (Persona, Plan, RealismConfig)
 * keep snake_case field names; options objects are camelCase.
 *
 * @example
 * ```ts
 * import { decide, makeBody, mulberry32, type PlannerDecky } from "./mod.ts";
 * declare const deckies: PlannerDecky[];
 * const rand = mulberry32(7);
 * const { plan } = decide(deckies, new Date(), { rand });
 * if (plan?.action === "create") {
 *   makeBody(plan.content_class, { persona: plan.persona, decky: { name: "ws-04" }, rand, now: plan.mtime });
 * }
 * ```
 *
 * @module
 */
export {
  CANARY_CLASSES,
  CONTENT_CLASSES,
  isCanary,
  isContentClass,
  isUser,
  SYSTEM_CLASSES,
  USER_CLASSES,
} from "./content_class.ts";
export type { CanaryClass, ContentClass, SystemClass, UserClass } from "./content_class.ts";
export { buildPlan } from "./plan.ts";
export type { Plan, PlanAction } from "./plan.ts";
export { mulberry32 } from "./mulberry32.ts";
export { isWellFormedWindow, parseWorkWindow, windowContains } from "./work_window.ts";
export type { WorkWindow } from "./work_window.ts";
export { inWorkHours } from "./in_work_hours.ts";
export type { InWorkHoursOptions } from "./in_work_hours.ts";
export { sampleMtime } from "./sample_mtime.ts";
export { afterInstall } from "./after_install.ts";
export type { SampleMtimeOptions } from "./sample_mtime.ts";
export { resolveTimeZone } from "./resolve_time_zone.ts";
export { isValidTimeZone, offsetMinutes } from "./_zoned_time.ts";
export {
  DEFAULT_REALISM_CONFIG,
  parseRealismConfig,
  PLANNABLE_CLASSES,
  RealismConfigStore,
} from "./realism_config.ts";
export type {
  ParseRealismConfigResult,
  PlannableClass,
  RealismConfig,
  RealismConfigIssue,
} from "./realism_config.ts";
export {
  DEFAULT_ACTION_WEIGHTS,
  DEFAULT_REALISM_SETTINGS,
  parseRealismSettings,
  REALISM_SETTINGS_KEY,
} from "./realism_settings.ts";
export type {
  ActionWeights,
  ParseRealismSettingsResult,
  RealismLlmSettings,
  RealismSettings,
} from "./realism_settings.ts";
export { decide, EDIT_PROBABILITY, LEAVE_ALONE_PROBABILITY, pick, USER_SHARE } from "./planner.ts";
export type { EditCandidate, PickOptions, PlannerDecision, PlannerDecky } from "./planner.ts";
export { loginFor } from "./login_for.ts";
export { makePath, needsGzip } from "./make_path.ts";
export type { MakePathOptions } from "./make_path.ts";
export { makeBody } from "./make_body.ts";
export type { BodyDecky, MakeBodyOptions } from "./make_body.ts";
export { makeLogLines } from "./make_log_lines.ts";
export { lastLogLineAt } from "./last_log_line_at.ts";
export type { MakeLogLinesOptions } from "./make_log_lines.ts";
export type { SyslogStampFormat } from "./_log_lines.ts";
export type { HostFacts } from "./host_facts.ts";
export { nextIteration } from "./next_iteration.ts";
export { simulatePlanner } from "./simulate_planner.ts";
export type { PlannerPreviewRow, SimulatePlannerOptions } from "./simulate_planner.ts";
export type { NextIterationOptions } from "./next_iteration.ts";
export { makeBodyWithLlm } from "./make_body_with_llm.ts";
export type { BodyWithSource, MakeBodyWithLlmOptions } from "./make_body_with_llm.ts";
export { makeEmailBody } from "./make_email_body.ts";
export type { EmailText, MakeEmailBodyOptions } from "./make_email_body.ts";
export { TONES } from "./persona.ts";
export type { Persona, Tone } from "./persona.ts";
export {
  duplicatePersonaIssue,
  parsePersonas,
  parseReplyLatency,
  personaIssues,
} from "./parse_personas.ts";
export type { DroppedPersona, ParsePersonasResult, PersonaIssue } from "./parse_personas.ts";
export { MAX_PERSONA_NAME_LENGTH, validatePersonaName } from "./validate_persona_name.ts";
export { PersonaPool } from "./persona_pool.ts";
export { personaPoolPaths, SYSTEM_PERSONAS_PATH } from "./persona_pool_paths.ts";
export type { PersonaPoolPathsOptions } from "./persona_pool_paths.ts";
export { writePersonaPool } from "./write_persona_pool.ts";
export type { WritePersonaPoolOptions } from "./write_persona_pool.ts";
export type { LoadedPersonaPool, PersonaPoolOptions, PoolFileSystem } from "./persona_pool.ts";
export * from "./llm/mod.ts";
export * from "./prompts/mod.ts";
