import type { DeckyState, FleetDecky } from "../db/mod.ts";
import type { FleetRows } from "./fleet_context.ts";

/**
 * Fleet rows kept in memory, for a reconciler that has no database (a swarm
 * agent's): a pass sees what the previous pass recorded, so it reports and
 * publishes only changes of state, as against the database. Rows behave as
 * the repository's do (uuid and `stateSince` kept while the state holds) and
 * are lost on restart, when the first pass records every decky again.
 *
 * @param now the clock stamping rows
 * @returns rows living as long as the process
 * @example
 * ```ts
 * import { memoryFleetRows } from "./memory_fleet_rows.ts";
 * const rows = memoryFleetRows(() => new Date());
 * await rows.list({ hostUuid: "local" }); // []
 * ```
 */
export function memoryFleetRows(now: () => Date): FleetRows {
  const rows = new Map<string, FleetDecky>();
  const key = (hostUuid: string, name: string) => `${hostUuid}\0${name}`;
  return {
    get: (hostUuid, name) => Promise.resolve(rows.get(key(hostUuid, name))),
    list: (filter: { hostUuid?: string; state?: DeckyState } = {}) =>
      Promise.resolve(
        [...rows.values()]
          .filter((r) => filter.hostUuid === undefined || r.hostUuid === filter.hostUuid)
          .filter((r) => filter.state === undefined || r.state === filter.state)
          .sort((a, b) => a.name.localeCompare(b.name)),
      ),
    remove: (hostUuid, name) => Promise.resolve(rows.delete(key(hostUuid, name))),
    upsert: (input, state) => {
      const at = now().toISOString();
      const existing = rows.get(key(input.hostUuid, input.name));
      const row: FleetDecky = {
        ...input,
        uuid: existing?.uuid ?? input.uuid ?? crypto.randomUUID(),
        state,
        stateSince: existing?.state === state ? existing.stateSince : at,
        createdAt: existing?.createdAt ?? at,
        updatedAt: at,
      };
      rows.set(key(input.hostUuid, input.name), row);
      return Promise.resolve({ ...row });
    },
  };
}
