import type { Bus } from "../bus/mod.ts";
import type { Repositories } from "../db/mod.ts";
import type { Logger } from "../log/mod.ts";
import { publishDeckyChanges } from "./publish_decky_changes.ts";

/** What removing a revoked host's fleet rows needs. */
export interface RemoveHostFleetDeps {
  repos: Pick<Repositories, "fleet">;
  /** Undefined when the command has no bus (DECNET_BUS_URL unset): the rows go all the same. */
  bus?: Bus;
  log: Logger;
}

/**
 * Removes the master's fleet rows of swarm host `host` (host_uuid = its
 * name, written from its `fleet_state` snapshots), so a revoked host's
 * deckies leave the Fleet page and the orchestrator's view; publishes
 * `decky.<host:name>.state` (to torn_down) for each, as a snapshot
 * dropping them would.
 *
 * @returns the names removed
 * @example
 * ```ts
 * import type { RemoveHostFleetDeps } from "./remove_host_fleet.ts";
 * import { removeHostFleet } from "./remove_host_fleet.ts";
 * declare const deps: RemoveHostFleetDeps;
 * await removeHostFleet(deps, "dmz-1", new Date()); // ["ws-01"]
 * ```
 */
export async function removeHostFleet(
  deps: RemoveHostFleetDeps,
  host: string,
  now: Date,
): Promise<string[]> {
  const changes = [];
  for (const decky of await deps.repos.fleet.list({ hostUuid: host })) {
    if (await deps.repos.fleet.remove(host, decky.name)) {
      changes.push({ name: decky.name, from: decky.state, to: "torn_down" });
    }
  }
  if (deps.bus) {
    publishDeckyChanges({ bus: deps.bus, log: deps.log }, host, changes, now.toISOString());
  }
  if (changes.length > 0) {
    deps.log.info("revoked swarm host's fleet rows removed", { host, deckies: changes.length });
  }
  return changes.map((c) => c.name);
}
