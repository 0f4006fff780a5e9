import { sql } from "kysely";
import type { CreateTableBuilder, Kysely, RawBuilder } from "kysely";
import type { DbEngine } from "../db_handle.ts";

/**
 * The column types and table options the migrations share, for one engine.
 * Landed migrations read it too: add to it, never change what it gives (their
 * schema must stay byte-identical on SQLite and MariaDB).
 */
export interface EngineTypes {
  /** MEDIUMTEXT on MySQL, whose TEXT stops at 64 KiB of bytes; TEXT on SQLite. */
  longText: RawBuilder<unknown>;
  /** Timestamps, stored as ISO 8601 text. */
  ts: "varchar(40)";
  /** Binary collation on MySQL so comparisons match SQLite's: slugs and names are case-sensitive. */
  tableOptions: RawBuilder<unknown>;
  /** Starts `create table name` with {@linkcode EngineTypes.tableOptions}. */
  createTable(db: Kysely<unknown>, name: string): CreateTableBuilder<string, never>;
}

/**
 * The shared column types and table options for `engine`.
 *
 * @example
 * ```ts
 * import type { Kysely } from "kysely";
 * import { engineTypes } from "./_engine_types.ts";
 * declare const db: Kysely<unknown>;
 * const { createTable, longText, ts } = engineTypes("mysql");
 * await createTable(db, "notes").addColumn("body", longText).addColumn("at", ts).execute();
 * ```
 */
export function engineTypes(engine: DbEngine): EngineTypes {
  const tableOptions = engine === "mysql"
    ? sql`default charset utf8mb4 collate utf8mb4_bin`
    : sql``;
  return {
    longText: engine === "mysql" ? sql`mediumtext` : sql`text`,
    ts: "varchar(40)",
    tableOptions,
    createTable: (db, name) => db.schema.createTable(name).modifyEnd(tableOptions),
  };
}
