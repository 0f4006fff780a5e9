import type { DecnetRun } from "./run_decnet.ts";
import type { SwarmLab } from "./swarm_lab.ts";
import { waitUntil } from "./wait_until.ts";

/** One decky of `decnet deploy --json`. */
export interface SwarmLabDeployItem {
  name: string;
  host: string | null;
  status: string;
}

/** What `decnet deploy --json` printed, parsed. */
export interface SwarmLabDeploy extends DecnetRun {
  items: SwarmLabDeployItem[];
  error?: string;
}

/**
 * Runs `decnet deploy --config FILE --json [flags]` on the lab's master.
 *
 * @throws {Error} with decnet's stderr when it printed no JSON (a usage error)
 * @example
 * ```ts
 * import type { SwarmLab } from "./swarm_lab.ts";
 * import { deployOnSwarmLab } from "./swarm_lab_deploy.ts";
 * declare const lab: SwarmLab;
 * const { items } = await deployOnSwarmLab(lab, "/tmp/fleet.ini", ["--dry-run"]);
 * ```
 */
export async function deployOnSwarmLab(
  lab: SwarmLab,
  fleetFile: string,
  flags: string[] = [],
): Promise<SwarmLabDeploy> {
  const run = await lab.master.decnet(["deploy", "--config", fleetFile, "--json", ...flags]);
  if (!run.stdout.startsWith("{")) throw new Error(`decnet deploy printed no JSON: ${run.stderr}`);
  return { ...run, ...JSON.parse(run.stdout) };
}

/**
 * Waits until every agent the fleet names answers (a dry run succeeds: until an
 * agent's `decnet up` is connected the master finds it offline), then deploys.
 *
 * @example
 * ```ts
 * import type { SwarmLab } from "./swarm_lab.ts";
 * import { deployWhenAgentsAnswer } from "./swarm_lab_deploy.ts";
 * declare const lab: SwarmLab;
 * await deployWhenAgentsAnswer(lab, "/tmp/fleet.ini");
 * ```
 */
export async function deployWhenAgentsAnswer(
  lab: SwarmLab,
  fleetFile: string,
): Promise<SwarmLabDeploy> {
  await waitUntil(async () => (await deployOnSwarmLab(lab, fleetFile, ["--dry-run"])).code === 0, {
    what: "every agent of the fleet answering",
    timeoutMs: 120_000,
    intervalMs: 1000,
  });
  return await deployOnSwarmLab(lab, fleetFile);
}
