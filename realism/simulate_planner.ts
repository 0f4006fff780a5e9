import { decide, type PlannerDecky } from "./planner.ts";
import type { EditCandidate } from "./planner.ts";
import { isCanary } from "./content_class.ts";
import { makeBody } from "./make_body.ts";
import { mulberry32 } from "./mulberry32.ts";
import { nextIteration } from "./next_iteration.ts";
import type { Persona } from "./persona.ts";
import { resolveTimeZone } from "./resolve_time_zone.ts";

/** Options for {@linkcode simulatePlanner}. */
export interface SimulatePlannerOptions {
  /** Simulated deckies. */
  deckies: number;
  ticks: number;
  /** Seed of the simulation's randomness. */
  seed: number;
  /** Simulated time of the first tick. */
  start: Date;
  /** Simulated seconds between ticks. */
  stepSeconds: number;
}

/** One simulated tick (snake_case: `decnet realism preview --json` prints it as is). */
export interface PlannerPreviewRow {
  tick: number;
  decision: "create" | "edit" | "skip" | "idle";
  decky: string | null;
  persona: string | null;
  active_hours: string | null;
  timezone: string | null;
  content_class: string | null;
  path: string | null;
  mtime: string | null;
  body: string | null;
}

const HOSTS = ["ws", "fin", "dev", "hr", "ops", "lab", "eng", "srv"];

/**
 * Runs the planner over simulated deckies without touching any decky: each
 * tick's decision, and the body a create or edit would write. Deterministic
 * for the same personas and options (seeded randomness, given start time).
 *
 * @example
 * ```ts
 * import type { Persona } from "./persona.ts";
 * declare const personas: Persona[];
 * for (const row of simulatePlanner(personas, { deckies: 5, ticks: 20, seed: 1, start: new Date("2026-03-04T09:00:00Z"), stepSeconds: 900 })) {
 *   console.log(row.decision, row.path);
 * }
 * ```
 */
export function* simulatePlanner(
  personas: readonly Persona[],
  options: SimulatePlannerOptions,
): Generator<PlannerPreviewRow> {
  const rand = mulberry32(options.seed);
  const deckies: PlannerDecky[] = Array.from({ length: options.deckies }, (_, i) => {
    const count = 1 + Math.floor(rand() * Math.min(3, personas.length));
    const start = Math.floor(rand() * personas.length);
    return {
      uuid: `decky-${i + 1}`,
      name: `${HOSTS[i % HOSTS.length]}-${String(i + 1).padStart(2, "0")}`,
      personas: Array.from({ length: count }, (_, j) => personas[(start + j) % personas.length]),
    };
  });
  const files: { candidate: EditCandidate; body: string }[] = [];
  const byKey = new Map<string, number>();
  const start = options.start.getTime();
  for (let tick = 1; tick <= options.ticks; tick++) {
    const now = new Date(start + (tick - 1) * options.stepSeconds * 1000);
    const file = files.length > 0 ? files[Math.floor(rand() * files.length)] : null;
    const d = decide(deckies, now, { rand, editCandidate: file?.candidate ?? null });
    const plan = d.plan;
    if (!plan) {
      yield { tick, decision: d.decision, ...EMPTY_ROW };
      continue;
    }
    const decky = deckies.find((x) => x.uuid === plan.decky_uuid)!;
    const bodyOptions = {
      persona: plan.persona,
      decky,
      rand,
      now: plan.mtime,
      path: plan.target_path,
    };
    let body: string | null = null;
    if (plan.action === "edit") {
      body = nextIteration(plan.content_class, { ...bodyOptions, previous: plan.previous_body! });
    } else if (!isCanary(plan.content_class)) body = makeBody(plan.content_class, bodyOptions);
    if (body !== null) {
      const key = `${plan.decky_uuid}:${plan.target_path}`;
      const entry = {
        candidate: {
          decky_uuid: plan.decky_uuid,
          persona: plan.persona.name,
          content_class: plan.content_class,
          path: plan.target_path,
          previous_body: body,
          last_modified: plan.mtime,
        },
        body,
      };
      const at = byKey.get(key);
      if (at === undefined) {
        byKey.set(key, files.length);
        files.push(entry);
      } else files[at] = entry;
    }
    yield {
      tick,
      decision: d.decision,
      decky: plan.decky_name,
      persona: plan.persona.name,
      active_hours: plan.persona.active_hours,
      timezone: resolveTimeZone(plan.persona, decky),
      content_class: plan.content_class,
      path: plan.target_path,
      mtime: plan.mtime.toISOString(),
      body,
    };
  }
}

const EMPTY_ROW = {
  decky: null,
  persona: null,
  active_hours: null,
  timezone: null,
  content_class: null,
  path: null,
  mtime: null,
  body: null,
} as const;
