import type { Kysely, Migration } from "kysely";
import type { DbEngine } from "../db_handle.ts";
import { engineTypes } from "./_engine_types.ts";

/**
 * `domain_events`: the bus messages no other table records in order (a
 * campaign formed or merged, a decky's state change, a decky torn down),
 * written by their producers in the transaction that makes the change, so
 * the alerts worker follows them by id from a cursor and loses none while
 * it restarts or the bus is down.
 */
export function m016DomainEvents(engine: DbEngine): Migration {
  const { createTable, longText, ts } = engineTypes(engine);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await createTable(db, "domain_events")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        .addColumn("kind", "varchar(32)", (c) => c.notNull())
        .addColumn("payload", longText, (c) => c.notNull())
        .addColumn("occurred_at", ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex("domain_events_occurred_at").on("domain_events")
        .columns(["occurred_at"]).execute();
    },
  };
}
