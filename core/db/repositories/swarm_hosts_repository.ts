import type { Kysely, Selectable } from "kysely";
import type { Database, SwarmHostsTable } from "../schema.ts";
import { type Clock, isoTime, systemClock } from "../clock.ts";

/** One enrolled (or enrolling) swarm host. */
export type SwarmHostRow = Selectable<SwarmHostsTable>;

/** Why {@linkcode SwarmHostsRepository.enroll} made no token. */
export type SwarmEnrollConflict = "enrolled" | "revoked";

/** What {@linkcode SwarmHostsRepository.redeem} records about the joining agent. */
export interface SwarmRedeemInput {
  name: string;
  tokenHash: string;
  publicKey: string;
  version: string | null;
}

/**
 * The swarm's agent hosts: enrolled with a hashed one-time join token,
 * joined once (the token spent in the same conditional update, so two
 * racing joins cannot both win), revoked for good.
 *
 * @example
 * ```ts
 * import type { SwarmHostsRepository } from "./swarm_hosts_repository.ts";
 * declare const hosts: SwarmHostsRepository;
 * const revocations = await hosts.revocations();
 * ```
 */
export class SwarmHostsRepository {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;

  constructor(db: Kysely<Database>, options: { clock?: Clock } = {}) {
    this.#db = db;
    this.#clock = options.clock ?? systemClock;
  }

  /**
   * Stores a join token for `name` (a new host, or one that has not joined
   * yet: its earlier token is replaced). A joined or revoked host gets none.
   */
  async enroll(
    input: { name: string; tokenHash: string; expiresAt: Date },
  ): Promise<{ row: SwarmHostRow } | { conflict: SwarmEnrollConflict }> {
    const token = { join_token_hash: input.tokenHash, join_expires_at: isoTime(input.expiresAt) };
    const updated = await this.#db.updateTable("swarm_hosts").set(token)
      .where("name", "=", input.name).where("enrolled_at", "is", null)
      .where("revoked_at", "is", null).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      const existing = await this.get(input.name);
      if (existing) return { conflict: existing.revoked_at ? "revoked" : "enrolled" };
      await this.#db.insertInto("swarm_hosts").values({
        name: input.name,
        public_key: null,
        ...token,
        created_at: isoTime(this.#clock()),
        enrolled_at: null,
        last_heartbeat: null,
        version: null,
        revoked_at: null,
      }).execute();
    }
    return { row: (await this.get(input.name))! };
  }

  async get(name: string): Promise<SwarmHostRow | undefined> {
    const row = await this.#db.selectFrom("swarm_hosts").selectAll().where("name", "=", name)
      .executeTakeFirst();
    return row && { ...row };
  }

  /** Every host, by name. */
  async list(): Promise<SwarmHostRow[]> {
    const rows = await this.#db.selectFrom("swarm_hosts").selectAll().orderBy("name").execute();
    return rows.map((r) => ({ ...r }));
  }

  /**
   * Spends `name`'s join token: records the agent's key and version when the
   * token hash matches, is unexpired, unspent and the host not revoked.
   *
   * @returns the joined host, or undefined when nothing matched
   */
  async redeem(input: SwarmRedeemInput): Promise<SwarmHostRow | undefined> {
    const now = isoTime(this.#clock());
    const result = await this.#db.updateTable("swarm_hosts")
      .set({ public_key: input.publicKey, enrolled_at: now, version: input.version })
      .where("name", "=", input.name).where("join_token_hash", "=", input.tokenHash)
      .where("enrolled_at", "is", null).where("revoked_at", "is", null)
      .where("join_expires_at", ">", now).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0 ? await this.get(input.name) : undefined;
  }

  /**
   * Records a heartbeat of `name` (and the version it reports) now; false
   * when no such host has joined or it is revoked.
   */
  async recordHeartbeat(name: string, version: string | null): Promise<boolean> {
    const result = await this.#db.updateTable("swarm_hosts")
      .set({ last_heartbeat: isoTime(this.#clock()), ...(version ? { version } : {}) })
      .where("name", "=", name).where("enrolled_at", "is not", null)
      .where("revoked_at", "is", null).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Marks `name` revoked now; false when it does not exist or already was. */
  async revoke(name: string): Promise<boolean> {
    const result = await this.#db.updateTable("swarm_hosts")
      .set({ revoked_at: isoTime(this.#clock()) })
      .where("name", "=", name).where("revoked_at", "is", null).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * The account JWT's revocation list: each revoked host's user key -> its
   * revocation time in whole seconds, rounded up so a JWT issued in that
   * same second is covered.
   */
  async revocations(): Promise<Record<string, number>> {
    const rows = await this.#db.selectFrom("swarm_hosts").select(["public_key", "revoked_at"])
      .where("revoked_at", "is not", null).where("public_key", "is not", null).execute();
    const out: Record<string, number> = {};
    for (const row of rows) {
      out[row.public_key!] = Math.ceil(new Date(row.revoked_at!).getTime() / 1000);
    }
    return out;
  }
}
