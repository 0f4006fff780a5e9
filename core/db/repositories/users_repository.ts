import type { Kysely, Selectable } from "kysely";
import type { Database, UsersTable } from "../schema.ts";
import { type Clock, isoTime, systemClock } from "../clock.ts";

/** A stored user (password hash included: never send it over the wire). */
export type UserRow = Selectable<UsersTable>;

/** The two roles; admin can do everything a viewer can. */
export type UserRole = UsersTable["role"];

/** Options for {@linkcode UsersRepository}. */
export interface UsersRepositoryOptions {
  clock?: Clock;
}

/**
 * Users and revoked API tokens.
 *
 * @example
 * ```ts
 * import type { DbHandle } from "../db_handle.ts";
 * import { UsersRepository } from "./users_repository.ts";
 * declare const handle: DbHandle;
 * declare const passwordHash: string;
 * const users = new UsersRepository(handle.db);
 * await users.create({ username: "admin", passwordHash, role: "admin" });
 * ```
 */
export class UsersRepository {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;

  constructor(db: Kysely<Database>, options: UsersRepositoryOptions = {}) {
    this.#db = db;
    this.#clock = options.clock ?? systemClock;
  }

  /** Inserts a user; the username must be free (unique constraint). */
  async create(
    user: { username: string; passwordHash: string; role: UserRole },
  ): Promise<UserRow> {
    const now = isoTime(this.#clock());
    const row: UserRow = {
      uuid: crypto.randomUUID(),
      username: user.username,
      password_hash: user.passwordHash,
      role: user.role,
      created_at: now,
      updated_at: now,
      password_changed_at: now,
    };
    await this.#db.insertInto("users").values(row).execute();
    return row;
  }

  async findByUsername(username: string): Promise<UserRow | undefined> {
    return await this.#db.selectFrom("users").selectAll().where("username", "=", username)
      .executeTakeFirst();
  }

  async findByUuid(uuid: string): Promise<UserRow | undefined> {
    return await this.#db.selectFrom("users").selectAll().where("uuid", "=", uuid)
      .executeTakeFirst();
  }

  async list(): Promise<UserRow[]> {
    return await this.#db.selectFrom("users").selectAll().orderBy("username").execute();
  }

  async count(): Promise<number> {
    const { n } = await this.#db.selectFrom("users").select((eb) =>
      eb.fn.countAll<number>().as("n")
    )
      .executeTakeFirstOrThrow();
    return Number(n);
  }

  async countAdmins(): Promise<number> {
    const { n } = await this.#db.selectFrom("users").where("role", "=", "admin")
      .select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    return Number(n);
  }

  /** Removes a user; returns whether one was removed. */
  async remove(username: string): Promise<boolean> {
    const result = await this.#db.deleteFrom("users").where("username", "=", username)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Replaces the password; tokens issued before now stop working. */
  async setPassword(username: string, passwordHash: string): Promise<boolean> {
    const now = isoTime(this.#clock());
    const result = await this.#db.updateTable("users")
      .set({ password_hash: passwordHash, password_changed_at: now, updated_at: now })
      .where("username", "=", username).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Records a token id as revoked until it would have expired anyway. */
  async revokeToken(jti: string, expiresAt: Date): Promise<void> {
    const existing = await this.#db.selectFrom("revoked_tokens").select("jti")
      .where("jti", "=", jti).executeTakeFirst();
    if (existing) return;
    await this.#db.insertInto("revoked_tokens")
      .values({ jti, expires_at: isoTime(expiresAt) }).execute();
  }

  async isTokenRevoked(jti: string): Promise<boolean> {
    const row = await this.#db.selectFrom("revoked_tokens").select("jti").where("jti", "=", jti)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Forgets revocations of tokens that have expired; returns how many. */
  async pruneRevokedTokens(): Promise<number> {
    const result = await this.#db.deleteFrom("revoked_tokens")
      .where("expires_at", "<", isoTime(this.#clock())).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
