import type { Kysely, Selectable } from "kysely";
import type { Database, SyntheticFilesTable } from "../schema.ts";

/** A file the orchestrator planted on a decky. */
export type SyntheticFileRow = Selectable<SyntheticFilesTable>;

/** Longest body kept for the next edit (characters). */
export const MAX_LAST_BODY = 64 * 1024;

/** What an upsert writes (edit_count is managed here). */
export interface SyntheticFileInput {
  deckyUuid: string;
  path: string;
  persona: string;
  contentClass: string;
  /** When the file was planted (ISO 8601). */
  at: string;
  /** The mtime given to the file (ISO 8601). */
  lastModified: string;
  contentHash: string;
  body: string;
}

/**
 * Synthetic files: upserted per (decky, path); edit candidates picked at a
 * cost that does not grow with the table.
 *
 * @example
 * ```ts
 * import type { SyntheticFilesRepository } from "./synthetic_files_repository.ts";
 * declare const files: SyntheticFilesRepository;
 * const candidate = await files.pickEditCandidate(Math.random);
 * ```
 */
export class SyntheticFilesRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /**
   * Inserts the file, or on (decky_uuid, path) replaces it and bumps
   * edit_count. The stored body is capped at {@linkcode MAX_LAST_BODY}.
   */
  async upsert(input: SyntheticFileInput): Promise<SyntheticFileRow> {
    const body = input.body.length > MAX_LAST_BODY ? input.body.slice(-MAX_LAST_BODY) : input.body;
    return await this.#db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom("synthetic_files").selectAll()
        .where("decky_uuid", "=", input.deckyUuid).where("path", "=", input.path)
        .executeTakeFirst();
      if (existing) {
        const values = {
          persona: input.persona,
          content_class: input.contentClass,
          last_modified: input.lastModified,
          edit_count: existing.edit_count + 1,
          content_hash: input.contentHash,
          last_body: body,
        };
        await trx.updateTable("synthetic_files").set(values).where("id", "=", existing.id)
          .execute();
        return { ...existing, ...values };
      }
      const values = {
        decky_uuid: input.deckyUuid,
        path: input.path,
        persona: input.persona,
        content_class: input.contentClass,
        created_at: input.at,
        last_modified: input.lastModified,
        edit_count: 0,
        content_hash: input.contentHash,
        last_body: body,
      };
      const result = await trx.insertInto("synthetic_files").values(values).executeTakeFirst();
      return { id: Number(result.insertId), ...values };
    });
  }

  async get(id: number): Promise<SyntheticFileRow | undefined> {
    return await this.#db.selectFrom("synthetic_files").selectAll().where("id", "=", id)
      .executeTakeFirst();
  }

  /** A decky's files, newest change first. */
  async listForDecky(
    deckyUuid: string,
    page: { limit: number; offset: number },
  ): Promise<{ items: SyntheticFileRow[]; total: number }> {
    const [items, count] = await Promise.all([
      this.#db.selectFrom("synthetic_files").selectAll().where("decky_uuid", "=", deckyUuid)
        .orderBy("last_modified", "desc").limit(page.limit).offset(page.offset).execute(),
      this.#db.selectFrom("synthetic_files").where("decky_uuid", "=", deckyUuid)
        .select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(count.n) };
  }

  /**
   * One file picked near-uniformly at random: a random id between the
   * smallest and largest, then the first row at or after it (two index
   * seeks; no ORDER BY RANDOM()).
   */
  async pickEditCandidate(random: () => number): Promise<SyntheticFileRow | undefined> {
    // Two scalar subqueries: SQLite answers a lone MIN or MAX from the index
    // ends, but scans the whole table when both share one SELECT.
    const bounds = await this.#db.selectNoFrom((eb) => [
      eb.selectFrom("synthetic_files").select((e) => e.fn.min<number>("id").as("v")).as("lo"),
      eb.selectFrom("synthetic_files").select((e) => e.fn.max<number>("id").as("v")).as("hi"),
    ]).executeTakeFirst();
    if (!bounds || bounds.lo === null || bounds.hi === null) return undefined;
    const lo = Number(bounds.lo);
    const hi = Number(bounds.hi);
    const target = lo + Math.floor(random() * (hi - lo + 1));
    return await this.#db.selectFrom("synthetic_files").selectAll().where("id", ">=", target)
      .orderBy("id").limit(1).executeTakeFirst();
  }
}
