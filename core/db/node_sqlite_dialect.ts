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

/** SQL texts whose prepared statements are kept (a few dozen queries run hot; `IN (?, …)` lists vary). */
const STATEMENT_CACHE_SIZE = 256;

/**
 * Adapts Deno's built-in `node:sqlite` to Kysely's SQLite dialect. Booleans
 * become 0/1 because node:sqlite refuses to bind them; transactions begin
 * immediate (see below). Prepared statements are kept by SQL text and
 * reused (preparing costs more than running a small query); Kysely runs one
 * query at a time on the one connection, so a statement is never used twice
 * at once.
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
  const statements = new Map<string, SqliteStatement>();
  const database: SqliteDatabase = {
    close: () => {
      statements.clear();
      handle.close();
    },
    prepare: (sql: string): SqliteStatement => {
      const cached = statements.get(sql);
      if (cached) return cached;
      // Kysely opens transactions with a deferred "begin": one that reads before it writes fails
      // at once with SQLITE_BUSY (no busy wait) when another connection (a worker, a CLI run)
      // wrote in between. "begin immediate" takes the write lock first, waiting its turn.
      const statement = handle.prepare(sql === "begin" ? "begin immediate" : sql);
      const prepared: SqliteStatement = {
        reader: statement.columns().length > 0,
        all: (params) => statement.all(...bindable(params)),
        run: (params) => statement.run(...bindable(params)),
        iterate: (params) => statement.iterate(...bindable(params)),
      };
      if (statements.size >= STATEMENT_CACHE_SIZE) {
        statements.delete(statements.keys().next().value!);
      }
      statements.set(sql, prepared);
      return prepared;
    },
  };
  return new SqliteDialect({ database });
}

function bindable(params: ReadonlyArray<unknown>): unknown[] {
  return params.map((p) => typeof p === "boolean" ? (p ? 1 : 0) : p);
}
