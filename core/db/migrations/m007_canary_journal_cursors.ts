import { sql } from "kysely";
import type { Kysely, Migration } from "kysely";
import type { DbEngine } from "../db_handle.ts";

/**
 * How far each canary trigger journal has been ingested: one row per
 * journal, moved in the same transaction as the triggers it covers (so a
 * crash never stores a trigger twice or skips one).
 */
export function m007CanaryJournalCursors(engine: DbEngine): Migration {
  const tableOptions = engine === "mysql"
    ? sql`default charset utf8mb4 collate utf8mb4_bin`
    : sql``;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createTable("canary_journal_cursors").modifyEnd(tableOptions)
        .addColumn("journal", "varchar(100)", (c) => c.primaryKey())
        .addColumn("segment", "bigint", (c) => c.notNull())
        .addColumn("byte_offset", "bigint", (c) => c.notNull())
        .addColumn("updated_at", "varchar(40)", (c) => c.notNull())
        .execute();
    },
  };
}
