import type { Kysely, Selectable } from "kysely";
import type {
  CanaryBlobsTable,
  CanaryTokensTable,
  CanaryTriggersTable,
  Database,
} from "../schema.ts";
import { type Clock, isoTime, systemClock } from "../clock.ts";

export type CanaryBlobRow = Selectable<CanaryBlobsTable>;
export type CanaryTokenRow = Selectable<CanaryTokensTable>;
export type CanaryTriggerRow = Selectable<CanaryTriggersTable>;

/** Token states that still record triggers. */
export const ACTIVE_TOKEN_STATES = ["issued", "planted"] as const;

/** A trigger to record (the token's counters are bumped with it). */
export interface TriggerInput {
  tokenUuid: string;
  occurredAt: Date;
  srcIp: string;
  userAgent: string | null;
  method: string | null;
  requestPath: string | null;
  dnsQname: string | null;
  dnsClientSubnet: string | null;
  headers: Record<string, string>;
}

/** Filters for {@linkcode CanaryRepository.listTokens}. */
export interface TokenFilter {
  deckyName?: string;
  state?: CanaryTokensTable["state"];
  kind?: CanaryTokensTable["kind"];
  limit: number;
  offset: number;
}

/**
 * Canary blobs, tokens and triggers.
 *
 * @example
 * ```ts
 * const token = await canary.findActiveBySlug(slug);
 * if (token) await canary.recordTrigger({ tokenUuid: token.uuid, ... });
 * ```
 */
export class CanaryRepository {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;

  constructor(db: Kysely<Database>, options: { clock?: Clock } = {}) {
    this.#db = db;
    this.#clock = options.clock ?? systemClock;
  }

  async insertBlob(blob: Omit<CanaryBlobRow, "uuid" | "created_at">): Promise<CanaryBlobRow> {
    const row = { ...blob, uuid: crypto.randomUUID(), created_at: isoTime(this.#clock()) };
    await this.#db.insertInto("canary_blobs").values(row).execute();
    return row;
  }

  async findBlobBySha256(sha256: string): Promise<CanaryBlobRow | undefined> {
    const row = await this.#db.selectFrom("canary_blobs").selectAll().where("sha256", "=", sha256)
      .executeTakeFirst();
    return row && normaliseBlob(row);
  }

  async getBlob(uuid: string): Promise<CanaryBlobRow | undefined> {
    const row = await this.#db.selectFrom("canary_blobs").selectAll().where("uuid", "=", uuid)
      .executeTakeFirst();
    return row && normaliseBlob(row);
  }

  /** Blobs, newest first, each with the number of tokens made from it. */
  async listBlobs(
    page: { limit: number; offset: number },
  ): Promise<{ items: (CanaryBlobRow & { token_count: number })[]; total: number }> {
    const [rows, count] = await Promise.all([
      this.#db.selectFrom("canary_blobs")
        .leftJoin("canary_tokens", "canary_tokens.blob_uuid", "canary_blobs.uuid")
        .selectAll("canary_blobs")
        .select((eb) => eb.fn.count<number>("canary_tokens.uuid").as("token_count"))
        .groupBy([
          "canary_blobs.uuid",
          "canary_blobs.sha256",
          "canary_blobs.filename",
          "canary_blobs.mime",
          "canary_blobs.size",
          "canary_blobs.created_at",
        ])
        .orderBy("canary_blobs.created_at", "desc").limit(page.limit).offset(page.offset)
        .execute(),
      this.#db.selectFrom("canary_blobs").select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow(),
    ]);
    return {
      items: rows.map((r) => ({ ...normaliseBlob(r), token_count: Number(r.token_count) })),
      total: Number(count.n),
    };
  }

  async countTokensForBlob(blobUuid: string): Promise<number> {
    const { n } = await this.#db.selectFrom("canary_tokens").where("blob_uuid", "=", blobUuid)
      .select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    return Number(n);
  }

  /** Deletes the blob row unless a token references it; returns "deleted", "in_use" or "missing". */
  async deleteBlob(uuid: string): Promise<"deleted" | "in_use" | "missing"> {
    return await this.#db.transaction().execute(async (trx) => {
      const used = await trx.selectFrom("canary_tokens").select("uuid").where(
        "blob_uuid",
        "=",
        uuid,
      )
        .limit(1).executeTakeFirst();
      if (used) return "in_use";
      const result = await trx.deleteFrom("canary_blobs").where("uuid", "=", uuid)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0 ? "deleted" : "missing";
    });
  }

  /** Inserts a token row as built by the cultivator (callback_token_lc derived here). */
  async insertToken(
    token: Omit<CanaryTokenRow, "callback_token_lc" | "created_at" | "updated_at"> & {
      created_at?: string;
    },
  ): Promise<CanaryTokenRow> {
    const now = isoTime(this.#clock());
    const row: CanaryTokenRow = {
      ...token,
      callback_token_lc: token.callback_token.toLowerCase(),
      created_at: token.created_at ?? now,
      updated_at: now,
    };
    await this.#db.insertInto("canary_tokens").values(row).execute();
    return row;
  }

  async getToken(uuid: string): Promise<CanaryTokenRow | undefined> {
    return await this.#db.selectFrom("canary_tokens").selectAll().where("uuid", "=", uuid)
      .executeTakeFirst();
  }

  async listTokens(filter: TokenFilter): Promise<{ items: CanaryTokenRow[]; total: number }> {
    let query = this.#db.selectFrom("canary_tokens");
    if (filter.deckyName !== undefined) query = query.where("decky_name", "=", filter.deckyName);
    if (filter.state !== undefined) query = query.where("state", "=", filter.state);
    if (filter.kind !== undefined) query = query.where("kind", "=", filter.kind);
    const [items, count] = await Promise.all([
      query.selectAll().orderBy("created_at", "desc").orderBy("uuid").limit(filter.limit)
        .offset(filter.offset).execute(),
      query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(count.n) };
  }

  /** Moves a token to a new state, recording (or clearing) its last error. */
  async setTokenState(
    uuid: string,
    state: CanaryTokensTable["state"],
    lastError: string | null = null,
  ): Promise<boolean> {
    const result = await this.#db.updateTable("canary_tokens")
      .set({ state, last_error: lastError, updated_at: isoTime(this.#clock()) })
      .where("uuid", "=", uuid).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** The issued or planted token with exactly this slug (HTTP callbacks). */
  async findActiveBySlug(slug: string): Promise<CanaryTokenRow | undefined> {
    return await this.#db.selectFrom("canary_tokens").selectAll()
      .where("callback_token", "=", slug).where("state", "in", ACTIVE_TOKEN_STATES)
      .executeTakeFirst();
  }

  /** The issued or planted token whose lower-cased slug matches (DNS ignores case). */
  async findActiveBySlugLc(slugLc: string): Promise<CanaryTokenRow | undefined> {
    return await this.#db.selectFrom("canary_tokens").selectAll()
      .where("callback_token_lc", "=", slugLc).where("state", "in", ACTIVE_TOKEN_STATES)
      .executeTakeFirst();
  }

  /**
   * Runs `work` in a transaction, or inside the caller's when this repository
   * was built over one (the journal ingest moves its cursor in the same commit).
   */
  #atomically<T>(work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.#db.isTransaction ? work(this.#db) : this.#db.transaction().execute(work);
  }

  /** Inserts the trigger and bumps the token's counters in one transaction. */
  async recordTrigger(trigger: TriggerInput): Promise<CanaryTriggerRow> {
    const occurredAt = isoTime(trigger.occurredAt);
    const values = {
      token_uuid: trigger.tokenUuid,
      occurred_at: occurredAt,
      src_ip: trigger.srcIp,
      user_agent: trigger.userAgent,
      method: trigger.method,
      request_path: trigger.requestPath,
      dns_qname: trigger.dnsQname,
      dns_client_subnet: trigger.dnsClientSubnet,
      headers: JSON.stringify(trigger.headers),
    };
    return await this.#db.transaction().execute(async (trx) => {
      const result = await trx.insertInto("canary_triggers").values(values).executeTakeFirst();
      await trx.updateTable("canary_tokens")
        .set((eb) => ({
          trigger_count: eb("trigger_count", "+", 1),
          last_triggered_at: occurredAt,
          updated_at: occurredAt,
        }))
        .where("uuid", "=", trigger.tokenUuid).execute();
      return { id: Number(result.insertId), ...values };
    });
  }

  /**
   * Records several triggers in one transaction: one multi-row insert, then
   * one counter bump per token (what keeps writes up with a flood of hits).
   */
  async recordTriggers(triggers: TriggerInput[]): Promise<void> {
    if (triggers.length === 0) return;
    const rows = triggers.map((t) => ({
      token_uuid: t.tokenUuid,
      occurred_at: isoTime(t.occurredAt),
      src_ip: t.srcIp,
      user_agent: t.userAgent,
      method: t.method,
      request_path: t.requestPath,
      dns_qname: t.dnsQname,
      dns_client_subnet: t.dnsClientSubnet,
      headers: JSON.stringify(t.headers),
    }));
    const perToken = new Map<string, { count: number; last: string }>();
    for (const row of rows) {
      const seen = perToken.get(row.token_uuid);
      if (!seen) perToken.set(row.token_uuid, { count: 1, last: row.occurred_at });
      else {
        seen.count++;
        if (row.occurred_at > seen.last) seen.last = row.occurred_at;
      }
    }
    await this.#atomically(async (trx) => {
      await trx.insertInto("canary_triggers").values(rows).execute();
      for (const [uuid, { count, last }] of perToken) {
        await trx.updateTable("canary_tokens")
          .set((eb) => ({
            trigger_count: eb("trigger_count", "+", count),
            last_triggered_at: last,
            updated_at: last,
          }))
          .where("uuid", "=", uuid).execute();
      }
    });
  }

  /**
   * Triggers for a live stream, oldest first: those after `afterId` when
   * given (a reconnecting client), else the `limit` most recent.
   */
  async listTriggersForStream(
    options: { afterId?: number; limit: number },
  ): Promise<CanaryTriggerRow[]> {
    if (options.afterId !== undefined) {
      return await this.#db.selectFrom("canary_triggers").selectAll()
        .where("id", ">", options.afterId).orderBy("id").limit(options.limit).execute();
    }
    const rows = await this.#db.selectFrom("canary_triggers").selectAll()
      .orderBy("id", "desc").limit(options.limit).execute();
    return rows.reverse();
  }

  /** Tokens of a decky in the given states (the baseline seeder skips what is already planted). */
  async listTokensOfDecky(
    deckyName: string,
    states: readonly CanaryTokensTable["state"][],
  ): Promise<CanaryTokenRow[]> {
    if (states.length === 0) return [];
    return await this.#db.selectFrom("canary_tokens").selectAll()
      .where("decky_name", "=", deckyName).where("state", "in", states)
      .orderBy("created_at").execute();
  }

  /** A token's triggers, newest first. */
  async listTriggers(
    tokenUuid: string | undefined,
    page: { limit: number; offset: number },
  ): Promise<{ items: CanaryTriggerRow[]; total: number }> {
    let query = this.#db.selectFrom("canary_triggers");
    if (tokenUuid !== undefined) query = query.where("token_uuid", "=", tokenUuid);
    const [items, count] = await Promise.all([
      query.selectAll().orderBy("occurred_at", "desc").orderBy("id", "desc").limit(page.limit)
        .offset(page.offset).execute(),
      query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(count.n) };
  }
}

// MySQL returns BIGINT as a string; keep `size` a number on both engines.
function normaliseBlob<T extends CanaryBlobRow>(row: T): T {
  return { ...row, size: Number(row.size) };
}
