import { errorText } from "../log/mod.ts";
import { deployAndSeed, type DeployAndSeedOptions } from "./deploy_and_seed.ts";
import type { FleetContext } from "./fleet_context.ts";
import { fleetLabelKeys } from "./fleet_labels.ts";
import type { DeckySpec, NetworkSpec } from "./fleet_spec.ts";

/** Outcome of {@linkcode revertDecky}. */
export interface RevertDeckyResult {
  name: string;
  /** reverted (containers recreated from their images, bait replanted), absent or failed. */
  status: "reverted" | "absent" | "failed";
  /** Containers removed before the redeploy. */
  removed: number;
  error?: string;
}

/**
 * Reverts a decky an intruder may have changed: removes every container of
 * it (their writable layers go with them) and deploys it again from its
 * images, exactly as last deployed (the spec its base container carries),
 * then replants the baseline canaries. The mail volume stays: the sensor
 * only reads it.
 *
 * @param name The decky's name.
 * @param context Docker, fleet rows, state file, bus and log.
 * @param options `canary`: where the replanted canaries are recorded (null: none);
 *   `audit` records `decky.reverted` for the actor who asked.
 * @returns What happened; never throws for Docker's failures.
 * @example
 * ```ts
 * import type { FleetContext } from "./fleet_context.ts";
 * declare const context: FleetContext;
 * await revertDecky("ws-01", context, { canary: null }); // { name: "ws-01", status: "reverted", removed: 2 }
 * ```
 */
export async function revertDecky(
  name: string,
  context: FleetContext,
  options: Pick<DeployAndSeedOptions, "canary" | "signal" | "audit">,
): Promise<RevertDeckyResult> {
  const { audit, ...deployOptions } = options;
  const result = await recreate(name, context, deployOptions);
  if (result.status !== "absent") {
    await audit?.({
      action: "decky.reverted",
      target: name,
      outcome: result.status === "reverted" ? "success" : "failure",
      detail: { removed: result.removed, ...(result.error ? { error: result.error } : {}) },
    });
  }
  return result;
}

async function recreate(
  name: string,
  context: FleetContext,
  options: Pick<DeployAndSeedOptions, "canary" | "signal">,
): Promise<RevertDeckyResult> {
  const labels = context.labels ?? fleetLabelKeys();
  let removed = 0;
  try {
    const containers = await context.docker.listContainers({
      labels: { [labels.managed]: "true", [labels.host]: context.hostUuid, [labels.decky]: name },
      all: true,
    });
    const base = containers.find((c) => c.labels[labels.role] === "base");
    const recorded = base?.labels[labels.deploy];
    if (!base || !recorded) {
      return containers.length
        ? { name, status: "failed", removed, error: "Cannot revert: no deploy record on its base" }
        : { name, status: "absent", removed };
    }
    const { network, decky } = JSON.parse(recorded) as { network: NetworkSpec; decky: DeckySpec };
    // Services first: they hold the base's network namespace.
    for (const c of [...containers.filter((c) => c !== base), base]) {
      await context.docker.removeContainer(c.id, { force: true });
      removed++;
    }
    context.log.info("decky containers removed for revert", { decky: name, removed });
    const result = await deployAndSeed({ network, deckies: [decky] }, context, options);
    const outcome = result.results[0];
    if (!outcome || outcome.status === "failed") {
      return { name, status: "failed", removed, error: outcome?.error ?? result.error };
    }
    return { name, status: "reverted", removed };
  } catch (e) {
    context.log.error("decky revert failed", { decky: name, error: e });
    return { name, status: "failed", removed, error: errorText(e) };
  }
}
