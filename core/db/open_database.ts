import { DatabaseSync } from "node:sqlite";
import { dirname } from "node:path";
import { Kysely, MysqlDialect } from "kysely";
import type { DbHandle } from "./db_handle.ts";
import type { Database } from "./schema.ts";
import { parseDbUrl } from "./db_url.ts";
import { nodeSqliteDialect } from "./node_sqlite_dialect.ts";

/** Options for {@linkcode openDatabase}. */
export interface OpenDatabaseOptions {
  /** Milliseconds SQLite waits on a locked database. @default 5000 */
  busyTimeoutMs?: number;
  /** MySQL pool size. @default 10 */
  connectionLimit?: number;
}

/**
 * Opens the database named by a DECNET_DB_URL. SQLite runs in WAL mode with
 * foreign keys on and a busy timeout, so several workers can share one file.
 *
 * @throws {SyntaxError} when the URL cannot be parsed
 * @example
 * ```ts
 * import { openDatabase } from "./open_database.ts";
 * import { migrateToLatest } from "./migrate.ts";
 * await using handle = await openDatabase("sqlite:var/decnet.db");
 * await migrateToLatest(handle);
 * ```
 */
export async function openDatabase(
  url: string,
  options: OpenDatabaseOptions = {},
): Promise<DbHandle> {
  const target = parseDbUrl(url);
  let db: Kysely<Database>;
  if (target.engine === "sqlite") {
    // Only a new database needs its folder made: workers may touch the database's files but not
    // the folder, which is DECNET_HOME by default and holds the JWT secret.
    if (target.path !== ":memory:" && !(await fileExists(target.path))) {
      await Deno.mkdir(dirname(target.path), { recursive: true, mode: 0o700 });
    }
    const sqlite = new DatabaseSync(target.path);
    // The database holds password hashes; SQLite gives its -wal and -shm files the same mode.
    if (target.path !== ":memory:") await Deno.chmod(target.path, 0o600);
    sqlite.exec(`PRAGMA busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    sqlite.exec("PRAGMA journal_mode = WAL");
    sqlite.exec("PRAGMA synchronous = NORMAL");
    sqlite.exec("PRAGMA foreign_keys = ON");
    db = new Kysely<Database>({ dialect: nodeSqliteDialect(sqlite) });
  } else {
    // Loaded only for MySQL: most installs never need the driver in memory.
    const { createPool } = await import("mysql2");
    const pool = createPool({
      host: target.host,
      port: target.port,
      user: target.user,
      password: target.password,
      database: target.database,
      connectionLimit: options.connectionLimit ?? 10,
      charset: "utf8mb4",
      supportBigNumbers: true,
    });
    db = new Kysely<Database>({ dialect: new MysqlDialect({ pool }) });
  }
  let closed: Promise<void> | undefined;
  const close = () => closed ??= db.destroy();
  return {
    db,
    engine: target.engine,
    close,
    [Symbol.asyncDispose]: close,
  };
}

async function fileExists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}
