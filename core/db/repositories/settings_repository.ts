import type { Kysely } from "kysely";
import type { Database } from "../schema.ts";
import { type Clock, isoTime, systemClock } from "../clock.ts";

/**
 * Small JSON documents under a key (e.g. the realism config), replaced whole.
 *
 * @example
 * ```ts
 * import type { SettingsRepository } from "./settings_repository.ts";
 * declare const settings: SettingsRepository;
 * await settings.put("realism.config", { canary_probability: 0.03 });
 * ```
 */
export class SettingsRepository {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;

  constructor(db: Kysely<Database>, options: { clock?: Clock } = {}) {
    this.#db = db;
    this.#clock = options.clock ?? systemClock;
  }

  /** The parsed value under `key`, or undefined. */
  async get(key: string): Promise<unknown> {
    const row = await this.#db.selectFrom("settings").select("value").where("key", "=", key)
      .executeTakeFirst();
    return row === undefined ? undefined : JSON.parse(row.value);
  }

  /** Replaces the value under `key` atomically. */
  async put(key: string, value: unknown): Promise<void> {
    const now = isoTime(this.#clock());
    const json = JSON.stringify(value);
    await this.#db.transaction().execute(async (trx) => {
      const updated = await trx.updateTable("settings").set({ value: json, updated_at: now })
        .where("key", "=", key).executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) {
        await trx.insertInto("settings").values({ key, value: json, updated_at: now }).execute();
      }
    });
  }
}
