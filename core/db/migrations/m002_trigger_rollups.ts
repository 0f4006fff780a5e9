import type { Kysely, Migration } from "kysely";

/**
 * Trigger rollups and retention: a trigger row may count many hits (a
 * rollup of repeats or of a flood), and tokens keep how many of their hits
 * were only counted (`suppressed_count`) and how many rows retention removed
 * (`pruned_count`). Landed; never edit, add a migration.
 */
export function m002TriggerRollups(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // One column per statement: SQLite's ALTER TABLE adds one at a time.
      const triggers = () => db.schema.alterTable("canary_triggers");
      await triggers().addColumn("hit_count", "integer", (c) => c.notNull().defaultTo(1))
        .execute();
      await triggers().addColumn("last_at", "varchar(40)").execute();
      await triggers().addColumn("rollup_scope", "varchar(8)").execute();
      const tokens = () => db.schema.alterTable("canary_tokens");
      await tokens().addColumn("suppressed_count", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      await tokens().addColumn("pruned_count", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
    },
  };
}
