import type { Kysely, Selectable } from "kysely";
import type { Database, FleetDeckiesTable } from "../schema.ts";
import { type Clock, isoTime, systemClock } from "../clock.ts";

/** States a decky can be in. */
export const DECKY_STATES = ["pending", "running", "degraded", "failed", "torn_down"] as const;

/** One of {@linkcode DECKY_STATES}. */
export type DeckyState = typeof DECKY_STATES[number];

/** Where a decky is recorded. */
export type DeckySource = "fleet" | "topology" | "shard";

/** A fleet decky as the rest of the code sees it (JSON columns parsed). */
export interface FleetDecky {
  hostUuid: string;
  name: string;
  uuid: string;
  ip: string | null;
  services: string[];
  images: Record<string, string>;
  network: string | null;
  networkDriver: string | null;
  osPersona: string;
  state: DeckyState;
  stateSince: string;
  createdAt: string;
  updatedAt: string;
}

/** What a deploy knows about a decky before it is stored. */
export type FleetDeckyInput =
  & Omit<FleetDecky, "uuid" | "state" | "stateSince" | "createdAt" | "updatedAt">
  & {
    uuid?: string;
  };

/** A running decky from any source, as the orchestrator needs it. */
export interface RunningDecky {
  uuid: string;
  name: string;
  source: DeckySource;
  hostUuid: string | null;
  topologyId: string | null;
  services: string[];
  ip: string | null;
  osPersona: string | null;
}

/** A decky from any source in any state, as `GET /api/v1/fleet/deckies` lists it. */
export interface ListedDecky extends RunningDecky {
  state: string;
  /** When the state last changed (fleet rows), else when the row last changed. */
  stateSince: string;
}

/**
 * Deckies: the local fleet rows, plus the union of every source that
 * `listRunningDeckies()` reads.
 *
 * @example
 * ```ts
 * const fleet = new FleetRepository(handle.db);
 * for (const d of await fleet.listRunningDeckies()) log.info(d.name);
 * ```
 */
export class FleetRepository {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;

  constructor(db: Kysely<Database>, options: { clock?: Clock } = {}) {
    this.#db = db;
    this.#clock = options.clock ?? systemClock;
  }

  /** Inserts or replaces the decky (host_uuid, name); keeps its uuid and state_since when unchanged. */
  async upsert(input: FleetDeckyInput, state: DeckyState): Promise<FleetDecky> {
    const now = isoTime(this.#clock());
    return await this.#db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom("fleet_deckies").selectAll()
        .where("host_uuid", "=", input.hostUuid).where("name", "=", input.name)
        .executeTakeFirst();
      const values = {
        ip: input.ip,
        services: JSON.stringify(input.services),
        images: JSON.stringify(input.images),
        network: input.network,
        network_driver: input.networkDriver,
        os_persona: input.osPersona,
        state,
        updated_at: now,
      };
      if (existing) {
        const stateSince = existing.state === state ? existing.state_since : now;
        await trx.updateTable("fleet_deckies").set({ ...values, state_since: stateSince })
          .where("host_uuid", "=", input.hostUuid).where("name", "=", input.name).execute();
        return toFleetDecky({ ...existing, ...values, state_since: stateSince });
      }
      const row = {
        ...values,
        host_uuid: input.hostUuid,
        name: input.name,
        uuid: input.uuid ?? crypto.randomUUID(),
        state_since: now,
        created_at: now,
      };
      await trx.insertInto("fleet_deckies").values(row).execute();
      return toFleetDecky(row);
    });
  }

  async get(hostUuid: string, name: string): Promise<FleetDecky | undefined> {
    const row = await this.#db.selectFrom("fleet_deckies").selectAll()
      .where("host_uuid", "=", hostUuid).where("name", "=", name).executeTakeFirst();
    return row && toFleetDecky(row);
  }

  /** Fleet deckies, optionally of one host and/or state, by name. */
  async list(filter: { hostUuid?: string; state?: DeckyState } = {}): Promise<FleetDecky[]> {
    let query = this.#db.selectFrom("fleet_deckies").selectAll();
    if (filter.hostUuid !== undefined) query = query.where("host_uuid", "=", filter.hostUuid);
    if (filter.state !== undefined) query = query.where("state", "=", filter.state);
    const rows = await query.orderBy("name").orderBy("host_uuid").execute();
    return rows.map(toFleetDecky);
  }

  /** Sets the state; returns the previous state, or undefined when no such decky. */
  async setState(
    hostUuid: string,
    name: string,
    state: DeckyState,
  ): Promise<DeckyState | undefined> {
    const now = isoTime(this.#clock());
    return await this.#db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom("fleet_deckies").select("state")
        .where("host_uuid", "=", hostUuid).where("name", "=", name).executeTakeFirst();
      if (!row) return undefined;
      if (row.state !== state) {
        await trx.updateTable("fleet_deckies")
          .set({ state, state_since: now, updated_at: now })
          .where("host_uuid", "=", hostUuid).where("name", "=", name).execute();
      }
      return row.state as DeckyState;
    });
  }

  /** Removes the decky row; returns whether one was removed. */
  async remove(hostUuid: string, name: string): Promise<boolean> {
    const result = await this.#db.deleteFrom("fleet_deckies")
      .where("host_uuid", "=", hostUuid).where("name", "=", name).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /**
   * Every running decky: fleet, topology and shard rows in state `running`,
   * each with its source, topology id, services and ip.
   */
  async listRunningDeckies(): Promise<RunningDecky[]> {
    const listed = await this.listDeckies({ state: "running" });
    return listed.map(({ state: _state, stateSince: _since, ...decky }) => decky);
  }

  /**
   * Deckies of every source (fleet, topology, shard) in any state, by name;
   * optionally only one state and/or source.
   */
  async listDeckies(
    filter: { state?: string; source?: DeckySource } = {},
  ): Promise<ListedDecky[]> {
    const want = (source: DeckySource) => filter.source === undefined || filter.source === source;
    const [fleet, topology, shards] = await Promise.all([
      want("fleet")
        ? this.#db.selectFrom("fleet_deckies").selectAll()
          .$if(filter.state !== undefined, (q) => q.where("state", "=", filter.state!)).execute()
        : [],
      want("topology")
        ? this.#db.selectFrom("topology_deckies").selectAll()
          .$if(filter.state !== undefined, (q) => q.where("state", "=", filter.state!)).execute()
        : [],
      want("shard")
        ? this.#db.selectFrom("decky_shards").selectAll()
          .$if(filter.state !== undefined, (q) => q.where("state", "=", filter.state!)).execute()
        : [],
    ]);
    const deckies: ListedDecky[] = [
      ...fleet.map((r) => ({
        uuid: r.uuid,
        name: r.name,
        source: "fleet" as const,
        hostUuid: r.host_uuid,
        topologyId: null,
        services: JSON.parse(r.services) as string[],
        ip: r.ip,
        osPersona: r.os_persona,
        state: r.state,
        stateSince: r.state_since,
      })),
      ...topology.map((r) => ({
        uuid: r.uuid,
        name: r.name,
        source: "topology" as const,
        hostUuid: null,
        topologyId: r.topology_id,
        services: JSON.parse(r.services) as string[],
        ip: r.ip,
        osPersona: null,
        state: r.state,
        stateSince: r.updated_at,
      })),
      ...shards.map((r) => ({
        uuid: r.uuid,
        name: r.name,
        source: "shard" as const,
        hostUuid: r.host_uuid,
        topologyId: null,
        services: JSON.parse(r.services) as string[],
        ip: r.ip,
        osPersona: null,
        state: r.state,
        stateSince: r.updated_at,
      })),
    ];
    return deckies.sort((a, b) => a.name.localeCompare(b.name) || a.source.localeCompare(b.source));
  }
}

function toFleetDecky(row: Selectable<FleetDeckiesTable>): FleetDecky {
  return {
    hostUuid: row.host_uuid,
    name: row.name,
    uuid: row.uuid,
    ip: row.ip,
    services: JSON.parse(row.services),
    images: JSON.parse(row.images),
    network: row.network,
    networkDriver: row.network_driver,
    osPersona: row.os_persona,
    state: row.state as DeckyState,
    stateSince: row.state_since,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
