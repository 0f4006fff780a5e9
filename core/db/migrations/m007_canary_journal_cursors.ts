import type { Kysely, Migration } from "kysely";
import type { DbEngine } from "../db_handle.ts";
import { engineTypes } from "./_engine_types.ts";

/**
 * How far each canary trigger journal has been ingested: one row per
 * journal, moved in the same transaction as the triggers it covers (so a
 * crash never stores a trigger twice or skips one).
 */
export function m007CanaryJournalCursors(engine: DbEngine): Migration {
  const { createTable } = engineTypes(engine);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await createTable(db, "canary_journal_cursors")
        .addColumn("journal", "varchar(100)", (c) => c.primaryKey())
        .addColumn("segment", "bigint", (c) => c.notNull())
        .addColumn("byte_offset", "bigint", (c) => c.notNull())
        .addColumn("updated_at", "varchar(40)", (c) => c.notNull())
        .execute();
    },
  };
}
