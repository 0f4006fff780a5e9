import type { Kysely } from "kysely";
import type { Database } from "./schema.ts";

/** The two database engines decnet speaks. */
export type DbEngine = "sqlite" | "mysql";

/** An open database: the typed query builder plus its engine and lifetime. */
export interface DbHandle extends AsyncDisposable {
  readonly db: Kysely<Database>;
  readonly engine: DbEngine;
  /** Closes every connection; safe to call twice. */
  close(): Promise<void>;
}
