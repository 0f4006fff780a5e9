import {
  type BaselineDecky,
  Planter,
  type PlanterOptions,
  type SeedBaselineResult,
} from "./planter.ts";

/**
 * Plants the configured baseline canaries (`DECNET_CANARY_BASELINE`) on a
 * freshly deployed decky (what `deployAndSeed` in core/fleet runs after each decky). Never
 * throws: each failure is recorded on its token, and generators already
 * planted on the decky are skipped.
 *
 * @param decky the decky (name, services; a fleet state entry fits)
 * @param options Docker, repositories, bus, log, clock and configuration
 * @returns one result per baseline generator
 * @example
 * ```ts
 * import type { Bus } from "../core/bus/base.ts";
 * import type { Config } from "../core/config/config.ts";
 * import type { DockerClient } from "../core/docker/base.ts";
 * import type { Logger } from "../core/log/logger.ts";
 * import type { Repositories } from "../core/db/repositories.ts";
 * import type { BaselineDecky } from "./planter.ts";
 * import { seedBaseline } from "./seed_baseline.ts";
 * declare const bus: Bus;
 * declare const config: Config;
 * declare const docker: DockerClient;
 * declare const log: Logger;
 * declare const repos: Repositories;
 * declare const decky: BaselineDecky;
 * const now = () => new Date();
 * const { results } = await seedBaseline(decky, { docker, repos, bus, log, now, config });
 * ```
 */
export async function seedBaseline(
  decky: BaselineDecky,
  options: PlanterOptions,
): Promise<SeedBaselineResult> {
  return await new Planter(options).seedBaseline(decky);
}
