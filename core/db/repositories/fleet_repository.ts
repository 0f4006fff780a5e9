import type { Kysely, Selectable } from "kysely";
import type { Database, FleetDeckiesTable } from "../schema.ts";
import { type Clock, isoTime, systemClock } from "../clock.ts";
import { appendDomainEvents } from "./_domain_events.ts";

/** States a decky can be in. */
export const DECKY_STATES = ["pending", "running", "degraded", "failed", "torn_down"] as const;

/** One of {@linkcode DECKY_STATES}. */
export type DeckyState = typeof DECKY_STATES[number];

/** Where a decky is recorded: this fleet's rows, or a remote agent's shard rows. */
export type DeckySource = "fleet" | "shard";

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
  hostUuid: string;
  services: string[];
  ip: string | null;
  osPersona: string | null;
  /** Image per service (and `base`), where recorded. */
  images?: Record<string, string>;
}

/** A decky from any source in any state (shard rows record no images nor network). */
export interface ListedDecky extends RunningDecky {
  images: Record<string, string>;
  network: string | null;
  networkDriver: string | null;
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
 * import type { DbHandle } from "../db_handle.ts";
 * import type { Logger } from "../../log/logger.ts";
 * declare const handle: DbHandle;
 * declare const log: Logger;
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

  /**
   * Inserts or replaces the decky (host_uuid, name); keeps its uuid and
   * state_since when unchanged. A change of state is recorded in
   * `domain_events` in the same transaction (the alerts worker follows it).
   */
  async upsert(input: FleetDeckyInput, state: DeckyState): Promise<FleetDecky> {
    const now = isoTime(this.#clock());
    return await this.#db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom("fleet_deckies").selectAll()
        .where("host_uuid", "=", input.hostUuid).where("name", "=", input.name)
        .executeTakeFirst();
      if (existing?.state !== state) {
        await appendDomainEvents(trx, [
          stateEvent(input.hostUuid, input.name, existing?.state ?? null, state, now),
        ], now);
      }
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

  /** Removes the decky row (recording it as torn down in `domain_events`); returns whether one was removed. */
  async remove(hostUuid: string, name: string): Promise<boolean> {
    const now = isoTime(this.#clock());
    return await this.#db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom("fleet_deckies").select("state")
        .where("host_uuid", "=", hostUuid).where("name", "=", name).executeTakeFirst();
      if (!row) return false;
      await trx.deleteFrom("fleet_deckies")
        .where("host_uuid", "=", hostUuid).where("name", "=", name).execute();
      await appendDomainEvents(trx, [stateEvent(hostUuid, name, row.state, "torn_down", now)], now);
      return true;
    });
  }

  /**
   * Every running decky: fleet and shard rows in state `running`, each with
   * its source, services and ip.
   */
  async listRunningDeckies(): Promise<RunningDecky[]> {
    return await this.listDeckies({ state: "running" });
  }

  /**
   * Deckies of every source (fleet, shard) in any state, by name, then
   * source and host; optionally only one state, source and/or name.
   */
  async listDeckies(
    filter: { state?: string; source?: DeckySource; name?: string } = {},
  ): Promise<ListedDecky[]> {
    const want = (source: DeckySource) => filter.source === undefined || filter.source === source;
    const [fleet, shards] = await Promise.all([
      want("fleet")
        ? this.#db.selectFrom("fleet_deckies").selectAll()
          .$if(filter.state !== undefined, (q) => q.where("state", "=", filter.state!))
          .$if(filter.name !== undefined, (q) => q.where("name", "=", filter.name!)).execute()
        : [],
      want("shard")
        ? this.#db.selectFrom("decky_shards").selectAll()
          .$if(filter.state !== undefined, (q) => q.where("state", "=", filter.state!))
          .$if(filter.name !== undefined, (q) => q.where("name", "=", filter.name!)).execute()
        : [],
    ]);
    const deckies: ListedDecky[] = [
      ...fleet.map((r): ListedDecky => {
        const { createdAt: _c, updatedAt: _u, ...decky } = toFleetDecky(r);
        return { source: "fleet", ...decky };
      }),
      ...shards.map((r): ListedDecky => ({
        uuid: r.uuid,
        name: r.name,
        source: "shard",
        hostUuid: r.host_uuid,
        services: JSON.parse(r.services) as string[],
        images: {},
        network: null,
        networkDriver: null,
        ip: r.ip,
        osPersona: null,
        state: r.state,
        stateSince: r.updated_at,
      })),
    ];
    return deckies.sort((a, b) =>
      a.name.localeCompare(b.name) || a.source.localeCompare(b.source) ||
      a.hostUuid.localeCompare(b.hostUuid)
    );
  }

  /**
   * One decky by name from any source: this host's fleet decky first, else
   * another host's, else a shard's.
   *
   * @param name the decky's name
   * @param options `hostUuid` preferred among fleet rows; `state` to find only a decky in that state
   * @returns the decky, or undefined when no source has it
   * @example
   * ```ts
   * import type { Config } from "../../config/config.ts";
   * import type { FleetRepository } from "./fleet_repository.ts";
   * declare const config: Config;
   * declare const fleet: FleetRepository;
   * const decky = await fleet.findDecky("ws-01", { hostUuid: config.hostUuid });
   * ```
   */
  async findDecky(
    name: string,
    options: { hostUuid?: string; state?: DeckyState } = {},
  ): Promise<ListedDecky | undefined> {
    const found = await this.listDeckies({ name, state: options.state });
    return found.find((d) => d.source === "fleet" && d.hostUuid === options.hostUuid) ?? found[0];
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

/** The `decky.<host:name>.state` payload of a state change. */
function stateEvent(host: string, name: string, from: string | null, to: string, at: string) {
  return {
    kind: "decky_state" as const,
    payload: { host_uuid: host, decky: name, from, to, at },
  };
}
