import type { Kysely, Selectable } from "kysely";
import type {
  Database,
  DeckyShardsTable,
  TopologiesTable,
  TopologyDeckiesTable,
} from "../schema.ts";
import { type Clock, isoTime, systemClock } from "../clock.ts";

/** A topology row with its persona pool parsed. */
export interface Topology {
  id: string;
  name: string;
  description: string;
  emailPersonas: unknown[];
  createdAt: string;
  updatedAt: string;
}

/** A decky that belongs to a topology, or one run by a remote agent (shard). */
export interface MemberDecky {
  uuid: string;
  name: string;
  ip: string | null;
  services: string[];
  state: string;
}

/**
 * Topologies (with their email persona pools), their deckies, and the
 * deckies remote agents run (shards).
 *
 * @example
 * ```ts
 * const t = await topologies.create({ name: "hq", description: "", emailPersonas: [] });
 * await topologies.addDecky(t.id, { name: "ws-01", ip: null, services: ["ssh"], state: "running" });
 * ```
 */
export class TopologiesRepository {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;

  constructor(db: Kysely<Database>, options: { clock?: Clock } = {}) {
    this.#db = db;
    this.#clock = options.clock ?? systemClock;
  }

  async create(
    input: { name: string; description: string; emailPersonas: unknown[] },
  ): Promise<Topology> {
    const now = isoTime(this.#clock());
    const row = {
      id: crypto.randomUUID(),
      name: input.name,
      description: input.description,
      email_personas: JSON.stringify(input.emailPersonas),
      created_at: now,
      updated_at: now,
    };
    await this.#db.insertInto("topologies").values(row).execute();
    return toTopology(row);
  }

  async get(id: string): Promise<Topology | undefined> {
    const row = await this.#db.selectFrom("topologies").selectAll().where("id", "=", id)
      .executeTakeFirst();
    return row && toTopology(row);
  }

  async list(): Promise<Topology[]> {
    return (await this.#db.selectFrom("topologies").selectAll().orderBy("name").execute())
      .map(toTopology);
  }

  /** Replaces a topology's persona pool; returns false when the topology is unknown. */
  async setEmailPersonas(id: string, personas: unknown[]): Promise<boolean> {
    const result = await this.#db.updateTable("topologies")
      .set({ email_personas: JSON.stringify(personas), updated_at: isoTime(this.#clock()) })
      .where("id", "=", id).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async remove(id: string): Promise<boolean> {
    const result = await this.#db.deleteFrom("topologies").where("id", "=", id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async addDecky(topologyId: string, decky: Omit<MemberDecky, "uuid">): Promise<MemberDecky> {
    const now = isoTime(this.#clock());
    const row = {
      uuid: crypto.randomUUID(),
      topology_id: topologyId,
      name: decky.name,
      ip: decky.ip,
      services: JSON.stringify(decky.services),
      state: decky.state,
      created_at: now,
      updated_at: now,
    };
    await this.#db.insertInto("topology_deckies").values(row).execute();
    return toMember(row);
  }

  async listDeckies(topologyId: string): Promise<MemberDecky[]> {
    const rows = await this.#db.selectFrom("topology_deckies").selectAll()
      .where("topology_id", "=", topologyId).orderBy("name").execute();
    return rows.map(toMember);
  }

  /** Records (or updates) a decky run by the agent on `hostUuid`. */
  async upsertShard(hostUuid: string, decky: Omit<MemberDecky, "uuid">): Promise<MemberDecky> {
    const now = isoTime(this.#clock());
    return await this.#db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom("decky_shards").selectAll()
        .where("host_uuid", "=", hostUuid).where("name", "=", decky.name).executeTakeFirst();
      const values = {
        ip: decky.ip,
        services: JSON.stringify(decky.services),
        state: decky.state,
        updated_at: now,
      };
      if (existing) {
        await trx.updateTable("decky_shards").set(values).where("uuid", "=", existing.uuid)
          .execute();
        return toMember({ ...existing, ...values });
      }
      const row = {
        ...values,
        uuid: crypto.randomUUID(),
        host_uuid: hostUuid,
        name: decky.name,
        created_at: now,
      };
      await trx.insertInto("decky_shards").values(row).execute();
      return toMember(row);
    });
  }

  async listShards(hostUuid?: string): Promise<(MemberDecky & { hostUuid: string })[]> {
    let query = this.#db.selectFrom("decky_shards").selectAll();
    if (hostUuid !== undefined) query = query.where("host_uuid", "=", hostUuid);
    const rows = await query.orderBy("name").execute();
    return rows.map((r) => ({ ...toMember(r), hostUuid: r.host_uuid }));
  }
}

function toTopology(row: Selectable<TopologiesTable>): Topology {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    emailPersonas: JSON.parse(row.email_personas),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toMember(
  row: Pick<
    Selectable<TopologyDeckiesTable | DeckyShardsTable>,
    "uuid" | "name" | "ip" | "services" | "state"
  >,
): MemberDecky {
  return {
    uuid: row.uuid,
    name: row.name,
    ip: row.ip,
    services: JSON.parse(row.services),
    state: row.state,
  };
}
