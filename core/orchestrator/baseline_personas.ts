import { loginFor } from "../../realism/mod.ts";
import type { Persona } from "../../realism/mod.ts";
import { personasForDecky } from "./personas_for_decky.ts";

/** A decky's persona as baseline placement takes it. */
export interface DeckyPersona {
  login: string;
  name: string;
}

/**
 * The persona lookup `seedBaseline` takes (`PlanterOptions.personas`): the
 * same people the orchestrator's file ticks work as on that decky
 * ({@linkcode personasForDecky} of the pool, by the decky's uuid), so bait
 * lands in a home its owner also fills. Undefined when the pool is empty:
 * with no personas configured, any regular user of the decky qualifies.
 *
 * @param pool the persona pool (a `PersonaPool` fits)
 * @returns the lookup for one decky
 * @example
 * ```ts
 * import type { Config } from "../config/config.ts";
 * import { baselinePersonas } from "./baseline_personas.ts";
 * import { PersonaPool } from "../../realism/persona_pool.ts";
 * import { seedBaseline } from "../../canary/seed_baseline.ts";
 * import type { BaselineDecky, PlanterOptions } from "../../canary/planter.ts";
 * declare const config: Config;
 * declare const decky: BaselineDecky;
 * declare const options: PlanterOptions;
 * const configuredPath = config.realismPersonas;
 * await seedBaseline(decky, { ...options, personas: baselinePersonas(new PersonaPool({ configuredPath })) });
 * ```
 */
export function baselinePersonas(
  pool: { load(): Promise<{ personas: readonly Persona[] }> },
): (decky: { name: string; uuid?: string | null }) => Promise<DeckyPersona[] | undefined> {
  return async (decky) => {
    const { personas } = await pool.load();
    if (personas.length === 0) return undefined;
    return personasForDecky(decky.uuid ?? decky.name, personas).map((p) => ({
      login: loginFor(p),
      name: p.name,
    }));
  };
}
