import type { JsonValue } from "../bus/mod.ts";
import type { Bus } from "../bus/mod.ts";
import type { Repositories } from "../db/mod.ts";
import type { Logger } from "../log/mod.ts";
import type { AgentEvent } from "./agent_event.ts";
import type { BatchStanding } from "./batch_standing.ts";
import { parseFleetState } from "./fleet_state_snapshot.ts";
import { type DeckyChange, publishDeckyChanges } from "./publish_decky_changes.ts";

/** What applying an agent's fleet snapshot needs on the master. */
export interface ApplyFleetStateDeps {
  repos: Pick<Repositories, "fleet" | "settings" | "swarmHosts">;
  bus: Bus;
  log: Logger;
}

/** The settings key holding the `at` of the last snapshot applied for `host`. */
export function fleetStateKey(host: string): string {
  return `swarm.fleet_state.${host}`;
}

/**
 * Makes the master's fleet rows of `host` (host_uuid = the agent's name,
 * which the orchestrator, the Swarm page and `/fleet?host=` read) what the
 * agent's `fleet_state` snapshot says: each decky upserted, those it no
 * longer lists removed, `decky.<host:name>.state` published for each change
 * of state. A snapshot not newer than the one applied (a redelivery, or an
 * older one arriving late) changes nothing, nor does one of a revoked host
 * (already in JetStream when it was revoked: its rows were removed then).
 *
 * @returns `next` when applied, `done` when stale or the host is revoked
 * @throws {TypeError} for a malformed snapshot (naming the field); the database's errors
 * @example
 * ```ts
 * import type { AgentEvent } from "./agent_event.ts";
 * import type { ApplyFleetStateDeps } from "./apply_fleet_state.ts";
 * import { applyFleetState } from "./apply_fleet_state.ts";
 * declare const deps: ApplyFleetStateDeps;
 * declare const event: AgentEvent;
 * await applyFleetState(deps, "dmz-1", event); // "next"
 * ```
 */
export async function applyFleetState(
  deps: ApplyFleetStateDeps,
  host: string,
  event: Pick<AgentEvent, "at" | "fields">,
): Promise<BatchStanding> {
  const deckies = parseFleetState(event.fields);
  const { fleet, settings, swarmHosts } = deps.repos;
  if ((await swarmHosts.get(host))?.revoked_at) return "done";
  const key = fleetStateKey(host);
  const applied = await settings.get(key) as { at?: JsonValue } | undefined;
  if (typeof applied?.at === "string" && Date.parse(applied.at) >= Date.parse(event.at)) {
    return "done";
  }
  const before = new Map((await fleet.list({ hostUuid: host })).map((d) => [d.name, d.state]));
  const changes: DeckyChange[] = [];
  for (const d of deckies) {
    const { state, stateSince: _since, ...row } = d;
    await fleet.upsert({ ...row, hostUuid: host }, state);
    const from = before.get(d.name) ?? null;
    if (from !== state) changes.push({ name: d.name, from, to: state });
    before.delete(d.name);
  }
  for (const [name, from] of before) {
    await fleet.remove(host, name);
    changes.push({ name, from, to: "torn_down" });
  }
  await settings.put(key, { at: event.at });
  publishDeckyChanges(deps, host, changes, event.at);
  if (changes.length > 0) {
    deps.log.info("swarm fleet state applied", { host, changes: changes.length });
  }
  return "next";
}
