import { type CompiledQuery, type Kysely, sql } from "kysely";
import type { DbHandle } from "./db_handle.ts";
import type { Database } from "./schema.ts";

interface StampRow {
  version: number;
  changes: number;
}

const STAMP_QUERY = sql<StampRow>`
  SELECT (SELECT data_version FROM pragma_data_version()) AS version, total_changes() AS changes`;
const compiled = new WeakMap<Kysely<Database>, CompiledQuery<StampRow>>();

/**
 * A value that changes whenever what the database holds may have changed:
 * on SQLite, any commit by another connection (other workers, the CLI:
 * `data_version`) or any row this connection changed (`total_changes()`,
 * rolled-back changes included). Equal stamps mean a read would return what
 * it returned before, so its answer can be reused. Null on MySQL/MariaDB,
 * which have no such counter: nothing is reused there.
 *
 * @param handle the open database
 * @returns the stamp, or null when the engine cannot tell
 * @example
 * ```ts
 * import type { DbHandle } from "./db_handle.ts";
 * import { readChangeStamp } from "./read_change_stamp.ts";
 * declare const handle: DbHandle;
 * const before = await readChangeStamp(handle);
 * const unchanged = before !== null && before === await readChangeStamp(handle);
 * ```
 */
export async function readChangeStamp(handle: DbHandle): Promise<string | null> {
  if (handle.engine !== "sqlite") return null;
  // Asked on every list request: compiled once per database, not built anew each time.
  let query = compiled.get(handle.db);
  if (query === undefined) compiled.set(handle.db, query = STAMP_QUERY.compile(handle.db));
  const { rows } = await handle.db.executeQuery(query);
  return `${rows[0].version}:${rows[0].changes}`;
}
