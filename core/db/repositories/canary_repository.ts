import type { Kysely, Selectable } from "kysely";
import type {
  CanaryBlobsTable,
  CanaryTokensTable,
  CanaryTriggersTable,
  Database,
} from "../schema.ts";
import { type Clock, isoTime, systemClock } from "../clock.ts";
import {
  DEFAULT_TRIGGER_CAP,
  DEFAULT_TRIGGER_RATE,
  type MissingWindow,
  type PlannedRollup,
  type StoredWindowRow,
  type TriggerRollupConfig,
  TriggerRollupPlanner,
} from "../trigger_rollup_planner.ts";
import { type TriggerView, triggerView } from "./trigger_view.ts";

export type CanaryBlobRow = Selectable<CanaryBlobsTable>;
export type CanaryTokenRow = Selectable<CanaryTokensTable>;
type CanaryTriggerRow = Selectable<CanaryTriggersTable>;

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

/** A rollup row that a {@linkcode CanaryRepository.recordTriggers} call created or grew. */
export interface RecordedRollup {
  /** The row as it stands after the call (`hit_count` is its total). */
  trigger: TriggerView;
  /** Hits this call added. */
  added: number;
}

/** What {@linkcode CanaryRepository.recordTriggers} wrote, as the API shows it. */
export interface RecordedTriggers {
  /** Triggers stored as rows of their own, in input order. */
  stored: TriggerView[];
  /** Rollup rows created or grown. */
  rollups: RecordedRollup[];
}

/** Options of {@linkcode CanaryRepository}. */
export interface CanaryRepositoryOptions {
  clock?: Clock;
  /** How floods are rolled up. @default {ratePerMinute: 10, capPerMinute: 100} */
  triggerRollup?: TriggerRollupConfig;
}

/** Work run inside a trigger write's transaction (it commits or rolls back with the triggers). */
export type InTransaction = (trx: Kysely<Database>) => Promise<void>;

/** Options of {@linkcode CanaryRepository.recordTriggers}. */
export interface RecordTriggersOptions {
  /** Runs first in the same transaction (the journal ingest moves its cursor there). */
  within?: InTransaction;
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
 * import type { CanaryRepository, TriggerInput } from "./canary_repository.ts";
 * declare const canary: CanaryRepository;
 * declare const hit: Omit<TriggerInput, "tokenUuid">;
 * const token = await canary.findActiveBySlug("k3x9q2");
 * if (token) await canary.recordTriggers([{ ...hit, tokenUuid: token.uuid }]);
 * ```
 */
export class CanaryRepository {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;
  readonly #planner: TriggerRollupPlanner;
  #writes: Promise<void> = Promise.resolve();

  constructor(db: Kysely<Database>, options: CanaryRepositoryOptions = {}) {
    this.#db = db;
    this.#clock = options.clock ?? systemClock;
    this.#planner = new TriggerRollupPlanner(
      options.triggerRollup ??
        { ratePerMinute: DEFAULT_TRIGGER_RATE, capPerMinute: DEFAULT_TRIGGER_CAP },
    );
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
    token:
      & Omit<
        CanaryTokenRow,
        | "callback_token_lc"
        | "created_at"
        | "updated_at"
        | "suppressed_count"
        | "pruned_count"
        | "decky_host"
      >
      & { created_at?: string; decky_host?: string | null },
  ): Promise<CanaryTokenRow> {
    const now = isoTime(this.#clock());
    const row: CanaryTokenRow = {
      suppressed_count: 0,
      pruned_count: 0,
      decky_host: null,
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

  /** Records one trigger: {@linkcode CanaryRepository.recordTriggers} with a batch of one. */
  async recordTrigger(trigger: TriggerInput): Promise<RecordedTriggers> {
    return await this.recordTriggers([trigger]);
  }

  /**
   * Records triggers in one transaction and bumps each token's counters.
   * Repeats beyond the rollup rate and hits beyond the token's cap are not
   * dropped: they are counted into rollup rows (see
   * {@linkcode TriggerRollupPlanner}) and into the token's `suppressed_count`.
   * Calls run one at a time (the planner's counts must match what is stored).
   *
   * @returns what was written, read back in the same transaction as the API
   * lists it (id, token kind and decky included): the triggers stored as rows
   * of their own, and the rollup rows created or grown
   *
   * @example
   * ```ts
   * import type { CanaryRepository, TriggerInput } from "./canary_repository.ts";
   * declare const canary: CanaryRepository;
   * declare const batch: TriggerInput[];
   * const { stored, rollups } = await canary.recordTriggers(batch);
   * stored[0]?.decky_name; // no second lookup of the token
   * ```
   */
  recordTriggers(
    triggers: TriggerInput[],
    options: RecordTriggersOptions = {},
  ): Promise<RecordedTriggers> {
    return this.#serial(() => this.#record(triggers, options.within));
  }

  // Trigger writes and pruning of this repository run one after another, so a
  // rollup row never grows between the read and the delete of a prune.
  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#writes.then(fn);
    this.#writes = run.then(() => {}, () => {});
    return run;
  }

  async #record(triggers: TriggerInput[], within?: InTransaction): Promise<RecordedTriggers> {
    if (triggers.length === 0) {
      if (within) await this.#db.transaction().execute(within);
      return { stored: [], rollups: [] };
    }
    const planner = this.#planner;
    if (!planner.enabled) return await this.#write(triggers, triggers, [], within);
    await this.#seedWindows(planner.missing(triggers));
    const plan = planner.plan(triggers);
    try {
      return await this.#write(triggers, plan.rows, plan.rollups, within);
    } catch (e) {
      // The planner already counted this batch: read its windows again next time.
      planner.forget(plan.windows);
      throw e;
    }
  }

  async #write(
    hits: TriggerInput[],
    rows: TriggerInput[],
    rollups: PlannedRollup[],
    within?: InTransaction,
  ): Promise<RecordedTriggers> {
    const perToken = new Map<string, { count: number; suppressed: number; last: string }>();
    for (const t of hits) {
      const at = isoTime(t.occurredAt);
      const seen = perToken.get(t.tokenUuid);
      if (!seen) perToken.set(t.tokenUuid, { count: 1, suppressed: 0, last: at });
      else {
        seen.count++;
        if (at > seen.last) seen.last = at;
      }
    }
    for (const r of rollups) perToken.get(r.state.tokenUuid)!.suppressed += r.added;
    return await this.#db.transaction().execute(async (trx) => {
      await within?.(trx);
      // Counters first: this write takes SQLite's lock, and on MySQL it locks the
      // token rows, so no other writer adds rows of these tokens before the commit
      // and the rows after `before` below are this call's.
      for (const [uuid, { count, suppressed, last }] of perToken) {
        await trx.updateTable("canary_tokens")
          .set((eb) => ({
            trigger_count: eb("trigger_count", "+", count),
            suppressed_count: eb("suppressed_count", "+", suppressed),
            last_triggered_at: last,
            updated_at: last,
          }))
          .where("uuid", "=", uuid).execute();
      }
      const before = rows.length === 0 ? undefined : await trx.selectFrom("canary_triggers")
        .select((eb) => eb.fn.max("id").as("id")).executeTakeFirst();
      // Chunks keep each statement under SQLite's bound-parameter limit.
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await trx.insertInto("canary_triggers")
          .values(rows.slice(i, i + INSERT_CHUNK).map((t) => triggerValues(t))).execute();
      }
      const rollupIds: number[] = [];
      for (const r of rollups) rollupIds.push(await writeRollup(trx, r));
      // Ids grow in insertion order: the rows of their own come back in input order.
      const stored = rows.length === 0 ? [] : await triggerViews(trx)
        .where("t.id", ">", Number(before?.id ?? 0))
        .where("t.rollup_scope", "is", null)
        .where("t.token_uuid", "in", [...new Set(rows.map((t) => t.tokenUuid))])
        .orderBy("t.id").execute();
      if (stored.length !== rows.length) {
        throw new Error(
          `Cannot read back stored triggers: expected ${rows.length} rows, got ${stored.length}`,
        );
      }
      const grown = new Map<number, TriggerView>();
      for (let i = 0; i < rollupIds.length; i += INSERT_CHUNK) {
        const ids = rollupIds.slice(i, i + INSERT_CHUNK);
        for (const row of await triggerViews(trx).where("t.id", "in", ids).execute()) {
          grown.set(Number(row.id), triggerView(row));
        }
      }
      return {
        stored: stored.map(triggerView),
        rollups: rollups.map((r, i) => ({ trigger: grown.get(rollupIds[i])!, added: r.added })),
      };
    });
  }

  /** Reads the stored rows of unknown windows: one query per minute, for all its tokens. */
  async #seedWindows(missing: MissingWindow[]): Promise<void> {
    const byMinute = new Map<number, MissingWindow[]>();
    for (const w of missing) {
      const group = byMinute.get(w.start.getTime());
      if (group) group.push(w);
      else byMinute.set(w.start.getTime(), [w]);
    }
    for (const windows of byMinute.values()) {
      const rows = await this.#db.selectFrom("canary_triggers").selectAll()
        .where("token_uuid", "in", windows.map((w) => w.tokenUuid))
        .where("occurred_at", ">=", isoTime(windows[0].start))
        .where("occurred_at", "<", isoTime(windows[0].end))
        .execute();
      const perToken = new Map<string, StoredWindowRow[]>(windows.map((w) => [w.tokenUuid, []]));
      for (const r of rows) {
        perToken.get(r.token_uuid)!.push({
          id: Number(r.id),
          trigger: triggerInputOf(r),
          rollupScope: r.rollup_scope,
          hitCount: Number(r.hit_count),
          lastAt: r.last_at,
        });
      }
      for (const w of windows) this.#planner.seed(w.key, perToken.get(w.tokenUuid)!);
    }
  }

  /**
   * Deletes up to `limit` trigger rows older than `before`, oldest first, and
   * adds the hits they counted to their tokens' `pruned_count` in the same
   * transaction, so `trigger_count` always equals the hits of the stored rows
   * plus `pruned_count`. Runs between this repository's trigger writes (one
   * writer per database: the worker that ingests triggers runs both).
   *
   * @returns the number of rows deleted (fewer than `limit`: nothing older is left)
   *
   * @example
   * ```ts
   * import type { CanaryRepository } from "./canary_repository.ts";
   * declare const canary: CanaryRepository;
   * const before = new Date(Date.now() - 90 * 86_400_000);
   * while ((await canary.pruneExpiredTriggers({ before, limit: 1000 })) === 1000);
   * ```
   */
  async pruneExpiredTriggers(options: { before: Date; limit: number }): Promise<number> {
    if (!Number.isInteger(options.limit) || options.limit < 1) {
      throw new RangeError(`Cannot prune triggers: limit must be >= 1, got ${options.limit}`);
    }
    return await this.#serial(() => this.#prune(options.before, options.limit));
  }

  async #prune(before: Date, limit: number): Promise<number> {
    return await this.#db.transaction().execute(async (trx) => {
      const rows = await trx.selectFrom("canary_triggers")
        .select(["id", "token_uuid", "hit_count"])
        .where("occurred_at", "<", isoTime(before))
        .orderBy("occurred_at").orderBy("id").limit(limit).execute();
      if (rows.length === 0) return 0;
      await trx.deleteFrom("canary_triggers").where("id", "in", rows.map((r) => r.id)).execute();
      const perToken = new Map<string, number>();
      for (const r of rows) {
        perToken.set(r.token_uuid, (perToken.get(r.token_uuid) ?? 0) + Number(r.hit_count));
      }
      for (const [uuid, hits] of perToken) {
        await trx.updateTable("canary_tokens")
          .set((eb) => ({ pruned_count: eb("pruned_count", "+", hits) }))
          .where("uuid", "=", uuid).execute();
      }
      return rows.length;
    });
  }

  /**
   * Triggers for a live stream, oldest first: those after `afterId` when
   * given (a reconnecting client), else the `limit` most recent.
   */
  async listTriggersForStream(
    options: { afterId?: number; limit: number },
  ): Promise<TriggerView[]> {
    if (options.afterId !== undefined) {
      const after = await triggerViews(this.#db)
        .where("t.id", ">", options.afterId).orderBy("t.id").limit(options.limit).execute();
      return after.map(triggerView);
    }
    const rows = await triggerViews(this.#db)
      .orderBy("t.id", "desc").limit(options.limit).execute();
    return rows.reverse().map(triggerView);
  }

  /**
   * Tokens of a decky in the given states (the baseline seeder skips what is
   * already planted); with `host`, only the decky of that swarm host (null:
   * the master's own).
   */
  async listTokensOfDecky(
    deckyName: string,
    states: readonly CanaryTokensTable["state"][],
    options: { host?: string | null } = {},
  ): Promise<CanaryTokenRow[]> {
    if (states.length === 0) return [];
    const { host } = options;
    return await this.#db.selectFrom("canary_tokens").selectAll()
      .where("decky_name", "=", deckyName).where("state", "in", states)
      .$if(
        host !== undefined,
        (q) =>
          host === null ? q.where("decky_host", "is", null) : q.where("decky_host", "=", host!),
      )
      .orderBy("created_at").execute();
  }

  /**
   * Triggers (rows of their own and rollup rows) with their token's kind and
   * decky, newest first: a token's when `tokenUuid` is given, else all.
   */
  async listTriggers(
    tokenUuid: string | undefined,
    page: { limit: number; offset: number },
  ): Promise<{ items: TriggerView[]; total: number }> {
    let count = this.#db.selectFrom("canary_triggers");
    if (tokenUuid !== undefined) count = count.where("token_uuid", "=", tokenUuid);
    const [items, total] = await Promise.all([
      this.#newestTriggers({ tokenUuid }, page),
      count.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  }

  /**
   * The `limit` most recent triggers of all tokens, newest first, each with
   * its token's kind and decky: one query, however many tokens they name.
   *
   * @example
   * ```ts
   * import type { CanaryRepository } from "./canary_repository.ts";
   * declare const canary: CanaryRepository;
   * const latest = await canary.recentTriggers(10);
   * latest[0]?.decky_name; // the decky its token was planted on
   * ```
   */
  async recentTriggers(limit: number): Promise<TriggerView[]> {
    return await this.#newestTriggers({}, { limit, offset: 0 });
  }

  /**
   * Triggers fired from one address, newest first: the canary hits an
   * attacker record shows (matched when read, so a trigger recorded before
   * its attacker's first sensor event is attributed all the same).
   */
  async triggersFromSource(
    srcIp: string,
    page: { limit: number; offset: number },
  ): Promise<TriggerView[]> {
    return await this.#newestTriggers({ srcIp }, page);
  }

  async #newestTriggers(
    filter: { tokenUuid?: string; srcIp?: string },
    page: { limit: number; offset: number },
  ): Promise<TriggerView[]> {
    let query = triggerViews(this.#db);
    if (filter.tokenUuid !== undefined) query = query.where("t.token_uuid", "=", filter.tokenUuid);
    if (filter.srcIp !== undefined) query = query.where("t.src_ip", "=", filter.srcIp);
    const rows = await query.orderBy("t.occurred_at", "desc").orderBy("t.id", "desc")
      .limit(page.limit).offset(page.offset).execute();
    return rows.map(triggerView);
  }
}

/** Stored triggers joined with their token's kind and decky: the rows of {@linkcode TriggerView}. */
function triggerViews(db: Kysely<Database>) {
  return db.selectFrom("canary_triggers as t")
    .innerJoin("canary_tokens as k", "k.uuid", "t.token_uuid")
    .selectAll("t")
    .select(["k.kind as token_kind", "k.decky_name"]);
}

/** Rows per multi-row insert: 10 columns each, well under SQLite's 32,766 parameters. */
const INSERT_CHUNK = 500;

function triggerValues(t: TriggerInput) {
  return {
    token_uuid: t.tokenUuid,
    occurred_at: isoTime(t.occurredAt),
    src_ip: t.srcIp,
    user_agent: t.userAgent,
    method: t.method,
    request_path: t.requestPath,
    dns_qname: t.dnsQname,
    dns_client_subnet: t.dnsClientSubnet,
    headers: JSON.stringify(t.headers),
  };
}

function triggerInputOf(r: CanaryTriggerRow): TriggerInput {
  let headers: Record<string, string> = {};
  try {
    headers = JSON.parse(r.headers);
  } catch {
    // a malformed row still counts; its shape just lacks the DNS record type
  }
  return {
    tokenUuid: r.token_uuid,
    occurredAt: new Date(r.occurred_at),
    srcIp: r.src_ip,
    userAgent: r.user_agent,
    method: r.method,
    requestPath: r.request_path,
    dnsQname: r.dns_qname,
    dnsClientSubnet: r.dns_client_subnet,
    headers,
  };
}

/**
 * Inserts a new rollup row, or grows the existing one (inserted again if
 * retention removed it); returns its id.
 */
async function writeRollup(trx: Kysely<Database>, r: PlannedRollup): Promise<number> {
  const { state } = r;
  if (state.id !== null) {
    const grown = await trx.updateTable("canary_triggers")
      .set((eb) => ({ hit_count: eb("hit_count", "+", r.added), last_at: state.lastAt }))
      .where("id", "=", state.id).executeTakeFirst();
    if (Number(grown.numUpdatedRows) > 0) return state.id;
    // Pruned meanwhile: its earlier hits are in pruned_count; start a new row with this batch's.
    state.firstAt = r.firstAddedAt;
    state.lastAt = r.lastAddedAt;
    state.hits = r.added;
  }
  const result = await trx.insertInto("canary_triggers").values({
    ...triggerValues({ ...state.sample, srcIp: state.srcIp }),
    occurred_at: state.firstAt,
    hit_count: state.hits,
    last_at: state.lastAt,
    rollup_scope: state.scope,
  }).executeTakeFirst();
  state.id = Number(result.insertId);
  return state.id;
}

// MySQL returns BIGINT as a string; keep `size` a number on both engines.
function normaliseBlob<T extends CanaryBlobRow>(row: T): T {
  return { ...row, size: Number(row.size) };
}
