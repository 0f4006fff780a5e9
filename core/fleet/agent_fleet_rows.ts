import type { FleetRows } from "./fleet_context.ts";

/**
 * Fleet rows for a swarm agent, which holds no database: its state file is
 * its only record (deploy and teardown keep it right), and the master learns
 * the agent's deckies over the swarm, not from these rows. Reads find
 * nothing, writes keep nothing.
 *
 * @param now the clock stamping what `upsert` returns
 * @returns rows that store nothing
 * @example
 * ```ts
 * import { agentFleetRows } from "./agent_fleet_rows.ts";
 * const rows = agentFleetRows(() => new Date());
 * await rows.list(); // []
 * ```
 */
export function agentFleetRows(now: () => Date): FleetRows {
  return {
    get: () => Promise.resolve(undefined),
    list: () => Promise.resolve([]),
    remove: () => Promise.resolve(false),
    upsert: (input, state) => {
      const at = now().toISOString();
      return Promise.resolve({
        ...input,
        uuid: input.uuid ?? crypto.randomUUID(),
        state,
        stateSince: at,
        createdAt: at,
        updatedAt: at,
      });
    },
  };
}
