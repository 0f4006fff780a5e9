import { SqliteDialect } from "kysely";
import type { SqliteDatabase, SqliteStatement } from "kysely";

/** The slice of `node:sqlite`'s DatabaseSync this dialect uses. */
export interface NodeSqliteHandle {
  prepare(sql: string): NodeSqliteStatement;
  close(): void;
}

/** The slice of `node:sqlite`'s StatementSync this dialect uses. */
export interface NodeSqliteStatement {
  columns(): unknown[];
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  iterate(...params: unknown[]): IterableIterator<unknown>;
}

/**
 * Adapts Deno's built-in `node:sqlite` to Kysely's SQLite dialect. Booleans
 * become 0/1 because node:sqlite refuses to bind them; transactions begin
 * immediate (see below).
 *
 * @example
 * ```ts
 * import { DatabaseSync } from "node:sqlite";
 * import { Kysely } from "kysely";
 * import type { Database } from "./schema.ts";
 * import { nodeSqliteDialect } from "./node_sqlite_dialect.ts";
 * const db = new Kysely<Database>({ dialect: nodeSqliteDialect(new DatabaseSync(":memory:")) });
 * ```
 */
export function nodeSqliteDialect(handle: NodeSqliteHandle): SqliteDialect {
  const database: SqliteDatabase = {
    close: () => handle.close(),
    prepare: (sql: string): SqliteStatement => {
      // Kysely opens transactions with a deferred "begin": one that reads before it writes fails
      // at once with SQLITE_BUSY (no busy wait) when another connection (a worker, a CLI run)
      // wrote in between. "begin immediate" takes the write lock first, waiting its turn.
      const statement = handle.prepare(sql === "begin" ? "begin immediate" : sql);
      return {
        reader: statement.columns().length > 0,
        all: (params) => statement.all(...bindable(params)),
        run: (params) => statement.run(...bindable(params)),
        iterate: (params) => statement.iterate(...bindable(params)),
      };
    },
  };
  return new SqliteDialect({ database });
}

function bindable(params: ReadonlyArray<unknown>): unknown[] {
  return params.map((p) => typeof p === "boolean" ? (p ? 1 : 0) : p);
}
