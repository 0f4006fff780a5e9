import { localMinuteOfDay } from "./_zoned_time.ts";
import { pickOne, pickWeighted } from "./_random.ts";
import {
  CANARY_CLASSES,
  isCanary,
  isContentClass,
  isUser,
  SYSTEM_CLASSES,
  USER_CLASSES,
} from "./content_class.ts";
import type { ContentClass } from "./content_class.ts";
import { makePath } from "./make_path.ts";
import type { Persona } from "./persona.ts";
import { buildPlan } from "./plan.ts";
import type { Plan } from "./plan.ts";
import { DEFAULT_REALISM_CONFIG } from "./realism_config.ts";
import type { PlannableClass, RealismConfig } from "./realism_config.ts";
import { resolveTimeZone } from "./resolve_time_zone.ts";
import { sampleMtime } from "./sample_mtime.ts";
import { parseWorkWindow, windowContains } from "./work_window.ts";

/** Share of ticks that leave the fleet alone. */
export const LEAVE_ALONE_PROBABILITY = 0.1;
/** Share of ticks that edit, when an edit candidate is offered. */
export const EDIT_PROBABILITY = 0.3;
/** Share of non-canary creates that are user files (the rest are system files). */
export const USER_SHARE = 0.7;

/** A running decky and the personas living on it. */
export interface PlannerDecky {
  readonly uuid: string;
  readonly name: string;
  readonly hostname?: string;
  readonly timezone?: string;
  readonly personas: readonly Persona[];
}

/** A file planted earlier that could be edited (the orchestrator picks it from its rows). */
export interface EditCandidate {
  readonly decky_uuid: string;
  /** Persona name, as stored. */
  readonly persona: string;
  readonly content_class: string;
  readonly path: string;
  readonly previous_body: string;
  /** When it was last written; an edit is always later. */
  readonly last_modified?: Date;
}

/** Options for {@linkcode decide} and {@linkcode pick}. */
export interface PickOptions {
  rand: () => number;
  /** @default DEFAULT_REALISM_CONFIG */
  config?: RealismConfig;
  editCandidate?: EditCandidate | null;
}

/** What a tick decided: idle (nobody at work), skip (left alone), create or edit. */
export interface PlannerDecision {
  readonly decision: "create" | "edit" | "skip" | "idle";
  readonly plan: Plan | null;
  /** Why, in a few words (for logs). */
  readonly reason: string;
}

const NEVER_EDITED = new Set<string>(["cache_tmp", "email", ...CANARY_CLASSES]);
/** start == end: any time of day. */
const ANY_TIME = "00:00-00:00";
const SAMPLE_TRIES = 32;
const DAY_MS = 86_400_000;

interface Pair {
  decky: PlannerDecky;
  persona: Persona;
}

/**
 * Decides one realism tick. Pairs (decky, persona) whose persona is inside
 * its active hours are eligible; with none, the tick is idle. Otherwise 10%
 * leave alone, 30% edit the offered candidate, the rest create: a canary
 * with `canary_probability`, else a user (70%) or system (30%) class by weight.
 *
 * @param deckies running deckies with their personas
 * @param now the current instant
 * @param options randomness, config and an optional edit candidate
 * @returns the decision and, for create/edit, the plan
 * @example
 * ```ts
 * import { decide, type PlannerDecky } from "./planner.ts";
 * import { mulberry32 } from "./mulberry32.ts";
 * declare const deckies: PlannerDecky[];
 * const { decision, plan } = decide(deckies, new Date(), { rand: mulberry32(1) });
 * ```
 */
export function decide(
  deckies: readonly PlannerDecky[],
  now: Date,
  options: PickOptions,
): PlannerDecision {
  const { rand } = options;
  const config = options.config ?? DEFAULT_REALISM_CONFIG;
  const pair = pickEligiblePair(deckies, now, rand);
  if (pair === null) return idle("nobody inside active hours");
  const roll = rand();
  if (roll < LEAVE_ALONE_PROBABILITY) return skip("left alone");
  const candidate = options.editCandidate;
  if (candidate && roll < LEAVE_ALONE_PROBABILITY + EDIT_PROBABILITY) {
    return planEdit(deckies, now, candidate, rand);
  }
  return planCreate(pair, now, rand, config);
}

/**
 * One realism tick reduced to its plan: null when idle or left alone.
 * See {@linkcode decide} for the rules.
 */
export function pick(
  deckies: readonly PlannerDecky[],
  now: Date,
  options: PickOptions,
): Plan | null {
  return decide(deckies, now, options).plan;
}

function idle(reason: string): PlannerDecision {
  return { decision: "idle", plan: null, reason };
}

function skip(reason: string): PlannerDecision {
  return { decision: "skip", plan: null, reason };
}

function planCreate(
  pair: Pair,
  now: Date,
  rand: () => number,
  config: RealismConfig,
): PlannerDecision {
  const { decky, persona } = pair;
  let contentClass: PlannableClass | null = null;
  if (rand() < config.canary_probability) {
    contentClass = pickWeighted(rand, CANARY_CLASSES, config.weights);
  }
  if (contentClass === null) {
    contentClass = rand() < USER_SHARE
      ? pickWeighted(rand, USER_CLASSES, config.weights)
      : pickWeighted(rand, SYSTEM_CLASSES, config.weights);
  }
  contentClass ??= "note";
  const timeZone = resolveTimeZone(persona, decky);
  const system = !isUser(contentClass) && !isCanary(contentClass);
  // Logs and caches are written by the machine around the clock, and recently.
  const mtime = system
    ? sampleMtime(ANY_TIME, { now, rand, backdateMinHours: 0.02, backdateMaxDays: 1 })
    : sampleMtime(persona.active_hours, { now, rand, timeZone });
  const plan = buildPlan({
    decky_uuid: decky.uuid,
    decky_name: decky.name,
    persona,
    content_class: contentClass,
    action: "create",
    target_path: makePath(contentClass, { persona, rand }),
    mtime,
    notes: `create ${contentClass} as ${persona.name} (${persona.active_hours} ${timeZone})`,
  });
  return { decision: "create", plan, reason: plan.notes };
}

function planEdit(
  deckies: readonly PlannerDecky[],
  now: Date,
  candidate: EditCandidate,
  rand: () => number,
): PlannerDecision {
  const cls = candidate.content_class;
  if (!isContentClass(cls) || NEVER_EDITED.has(cls)) {
    return skip(`candidate class is never edited: ${cls}`);
  }
  const decky = deckies.find((d) => d.uuid === candidate.decky_uuid);
  if (!decky) return skip("candidate decky is not running");
  const persona = decky.personas.find((p) => p.name === candidate.persona);
  if (!persona) return skip(`candidate persona is gone: ${candidate.persona}`);
  const timeZone = resolveTimeZone(persona, decky);
  const lastMs = candidate.last_modified?.getTime() ?? -Infinity;
  const maxDays = Math.min(14, (now.getTime() - lastMs) / DAY_MS);
  const window = isUser(cls as ContentClass) ? persona.active_hours : ANY_TIME;
  for (let attempt = 0; attempt < 4; attempt++) {
    const mtime = sampleMtime(window, {
      now,
      rand,
      timeZone,
      backdateMinHours: Math.min(0.5, maxDays * 12),
      // Short of the whole gap: a backdate clamped to the longest lands after the last write,
      // not on it (else a file written minutes ago could never be edited).
      backdateMaxDays: Math.max(maxDays * 0.9, 0),
    });
    if (mtime.getTime() <= lastMs) continue;
    const plan = buildPlan({
      decky_uuid: decky.uuid,
      decky_name: decky.name,
      persona,
      content_class: cls,
      action: "edit",
      target_path: candidate.path,
      mtime,
      previous_body: candidate.previous_body,
      notes: `edit ${cls} ${candidate.path} as ${persona.name}`,
    });
    return { decision: "edit", plan, reason: plan.notes };
  }
  return skip("no in-hours time after the last edit");
}

/** A uniformly chosen eligible pair, or null when none is eligible. */
function pickEligiblePair(
  deckies: readonly PlannerDecky[],
  now: Date,
  rand: () => number,
): Pair | null {
  const nowMs = now.getTime();
  const minuteByZone = new Map<string, number>();
  const eligible = (decky: PlannerDecky, persona: Persona): boolean => {
    const window = parseWorkWindow(persona.active_hours);
    if (window === null) return true;
    const zone = resolveTimeZone(persona, decky);
    let minute = minuteByZone.get(zone);
    if (minute === undefined) {
      minute = localMinuteOfDay(nowMs, zone);
      minuteByZone.set(zone, minute);
    }
    return windowContains(window, minute);
  };
  const offsets: number[] = new Array(deckies.length);
  let total = 0;
  for (let i = 0; i < deckies.length; i++) {
    offsets[i] = total;
    total += deckies[i].personas.length;
  }
  if (total === 0) return null;
  // Rejection sampling is uniform over eligible pairs and cheap when many are
  // eligible; the full scan below settles the rest (also uniform).
  for (let tries = 0; tries < SAMPLE_TRIES; tries++) {
    const n = Math.floor(rand() * total) % total;
    let lo = 0;
    let hi = deckies.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (offsets[mid] <= n) lo = mid;
      else hi = mid - 1;
    }
    const decky = deckies[lo];
    const persona = decky.personas[n - offsets[lo]];
    if (eligible(decky, persona)) return { decky, persona };
  }
  const all: Pair[] = [];
  for (const decky of deckies) {
    for (const persona of decky.personas) {
      if (eligible(decky, persona)) all.push({ decky, persona });
    }
  }
  return all.length === 0 ? null : pickOne(rand, all);
}
