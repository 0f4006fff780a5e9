import type { Kysely, Selectable } from "kysely";
import type { ApiKeysTable, Database } from "../schema.ts";
import { type Clock, isoTime, systemClock } from "../clock.ts";

/** One stored API key (its hash, never the key). */
export type ApiKeyRow = Selectable<ApiKeysTable>;

/** The two scopes a key reads with. */
export type ApiKeyRole = ApiKeysTable["role"];

/** What {@linkcode ApiKeysRepository.create} stores. */
export interface ApiKeyInput {
  name: string;
  keyHash: string;
  keyPrefix: string;
  role: ApiKeyRole;
  createdBy: string;
  expiresAt?: string | null;
}

/** How long a key's `last_used_at` may lag: at most one write per key per minute. */
const TOUCH_INTERVAL_MS = 60_000;

/**
 * Read-only API keys: created with the hash of their secret, found by that
 * hash on every keyed request, revoked (kept, with `revoked_at`) by id.
 *
 * @example
 * ```ts
 * import type { ApiKeysRepository } from "./api_keys_repository.ts";
 * declare const keys: ApiKeysRepository;
 * declare const keyHash: string;
 * const row = await keys.findByHash(keyHash);
 * ```
 */
export class ApiKeysRepository {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;

  constructor(db: Kysely<Database>, options: { clock?: Clock } = {}) {
    this.#db = db;
    this.#clock = options.clock ?? systemClock;
  }

  /** Stores a new key; returns it as stored. */
  async create(input: ApiKeyInput): Promise<ApiKeyRow> {
    const row: ApiKeyRow = {
      uuid: crypto.randomUUID(),
      name: input.name,
      key_hash: input.keyHash,
      key_prefix: input.keyPrefix,
      role: input.role,
      created_by: input.createdBy,
      created_at: isoTime(this.#clock()),
      expires_at: input.expiresAt ?? null,
      last_used_at: null,
      revoked_at: null,
    };
    await this.#db.insertInto("api_keys").values(row).execute();
    return row;
  }

  /** Every key, newest first, and how many there are. */
  async list(page: { limit: number; offset: number }): Promise<
    { items: ApiKeyRow[]; total: number }
  > {
    const [items, count] = await Promise.all([
      this.#db.selectFrom("api_keys").selectAll().orderBy("created_at", "desc")
        .orderBy("uuid").limit(page.limit).offset(page.offset).execute(),
      this.#db.selectFrom("api_keys").select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow(),
    ]);
    return { items: items.map((r) => ({ ...r })), total: Number(count.n) };
  }

  async get(uuid: string): Promise<ApiKeyRow | undefined> {
    const row = await this.#db.selectFrom("api_keys").selectAll().where("uuid", "=", uuid)
      .executeTakeFirst();
    return row && { ...row };
  }

  /** The key whose secret hashes to `keyHash`, revoked or not. */
  async findByHash(keyHash: string): Promise<ApiKeyRow | undefined> {
    const row = await this.#db.selectFrom("api_keys").selectAll().where("key_hash", "=", keyHash)
      .executeTakeFirst();
    return row && { ...row };
  }

  /** Marks a key revoked now; false when it does not exist or was already revoked. */
  async revoke(uuid: string): Promise<boolean> {
    const result = await this.#db.updateTable("api_keys")
      .set({ revoked_at: isoTime(this.#clock()) })
      .where("uuid", "=", uuid).where("revoked_at", "is", null).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * Sets `last_used_at` to now unless it was set less than a minute ago (a
   * busy SIEM poller does not write on every request).
   */
  async touch(uuid: string): Promise<void> {
    const now = this.#clock();
    const stale = isoTime(new Date(now.getTime() - TOUCH_INTERVAL_MS));
    await this.#db.updateTable("api_keys").set({ last_used_at: isoTime(now) })
      .where("uuid", "=", uuid)
      .where((eb) => eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<=", stale)]))
      .execute();
  }
}
