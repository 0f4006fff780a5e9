import {
  type BaselineDecky,
  Planter,
  type PlanterOptions,
  type SeedBaselineResult,
} from "./planter.ts";

/**
 * Plants the configured baseline canaries (`DECNET_CANARY_BASELINE`) on a
 * freshly deployed decky; meant for fleet deploy's `afterDeploy` hook. Never
 * throws: each failure is recorded on its token, and generators already
 * planted on the decky are skipped.
 *
 * @param decky the decky (name, services; a fleet state entry fits)
 * @param options Docker, repositories, bus, log, clock and configuration
 * @returns one result per baseline generator
 * @example
 * ```ts
 * await deployFleet(spec, context, {
 *   afterDeploy: async (d) => void await seedBaseline(d, { docker, repos, bus, log, now, config }),
 * });
 * ```
 */
export async function seedBaseline(
  decky: BaselineDecky,
  options: PlanterOptions,
): Promise<SeedBaselineResult> {
  return await new Planter(options).seedBaseline(decky);
}
