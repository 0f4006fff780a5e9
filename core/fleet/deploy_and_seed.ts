import type { PlanterOptions } from "../../canary/planter.ts";
import type { RecordAudit } from "../audit/mod.ts";
import type { Config } from "../config/mod.ts";
import type { Repositories } from "../db/mod.ts";
import { deployFleet, type DeployFleetResult } from "./deploy_fleet.ts";
import type { FleetContext } from "./fleet_context.ts";
import type { FleetSpec } from "./fleet_spec.ts";

/** Options for {@linkcode deployAndSeed}. */
export interface DeployAndSeedOptions {
  /** Plan only: no Docker call, no write. @default false */
  dryRun?: boolean;
  /**
   * Where the baseline canaries are recorded, and which ones
   * (`DECNET_CANARY_BASELINE`); null when the database is down (nothing is seeded).
   */
  canary: {
    repos: Pick<Repositories, "canary" | "fleet">;
    config: Pick<
      Config,
      "canaryHttpBase" | "canaryDnsZone" | "canaryBaseline" | "canaryAllowLocal"
    >;
    /** The decky's personas, whose homes get the bait (see `PlanterOptions.personas`). */
    personas?: PlanterOptions["personas"];
  } | null;
  signal?: AbortSignal;
  /** Records `fleet.deployed` (not for a dry run), for the actor who asked. */
  audit?: RecordAudit;
}

/**
 * What `decnet deploy` and `POST /api/v1/fleet/deploy` run: deploys the
 * fleet file's deckies ({@linkcode deployFleet}) and plants the baseline
 * canaries on each decky that comes up. A failed seeding is logged and never
 * fails the deploy; canary events go on the context's bus when it has one.
 *
 * @param spec The parsed fleet file.
 * @param context Docker, fleet rows, state file, bus and log.
 * @param options `dryRun`, `canary` (repositories and configuration), `signal`.
 * @returns Per-decky results, as {@linkcode deployFleet}.
 * @example
 * ```ts
 * import type { Config } from "../config/config.ts";
 * import type { Repositories } from "../db/repositories.ts";
 * import type { FleetContext } from "./fleet_context.ts";
 * import { deployAndSeed } from "./deploy_and_seed.ts";
 * import { parseFleetSpec } from "./fleet_spec.ts";
 * declare const config: Config;
 * declare const repos: Repositories;
 * declare const context: FleetContext;
 * const spec = parseFleetSpec(await Deno.readTextFile("fleet.yaml"));
 * const result = await deployAndSeed(spec, context, { canary: { repos, config } });
 * ```
 */
export async function deployAndSeed(
  spec: FleetSpec,
  context: FleetContext,
  options: DeployAndSeedOptions,
): Promise<DeployFleetResult> {
  const { canary } = options;
  const result = await deployFleet(spec, context, {
    dryRun: options.dryRun,
    signal: options.signal,
    afterDeploy: canary
      ? async (decky) => {
        // Loaded on demand: the generators pull in the document libraries.
        const { seedBaseline } = await import("../../canary/seed_baseline.ts");
        await seedBaseline(decky, {
          docker: context.docker,
          repos: canary.repos,
          bus: context.bus,
          log: context.log.child("planter"),
          now: context.now,
          config: canary.config,
          personas: canary.personas,
        });
      }
      : undefined,
  });
  if (!options.dryRun) {
    const failed = result.error !== undefined || result.results.some((r) => r.status === "failed");
    await options.audit?.({
      action: "fleet.deployed",
      target: spec.deckies.map((d) => d.name).join(","),
      outcome: failed ? "failure" : "success",
      detail: {
        network: result.network.name,
        deckies: result.results.map((r) => ({
          name: r.name,
          status: r.status,
          ...(r.error ? { error: r.error } : {}),
        })),
        ...(result.error ? { error: result.error } : {}),
      },
    });
  }
  return result;
}
