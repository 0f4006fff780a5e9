import type { Kysely, Migration } from "kysely";
import type { DbEngine } from "../db_handle.ts";
import { engineTypes } from "./_engine_types.ts";

/**
 * The attacker side: every sensor event (`service_events`), how far each
 * sensor container's log is stored (`sensor_log_cursors`, moved in the same
 * transaction as the events it covers), one rolled-up row per attacking
 * address (`attackers`, with the deckies and services it touched in
 * `attacker_services`) and every distinct credential tried (`credentials`).
 */
export function m011Attackers(engine: DbEngine): Migration {
  // Event details and rollup sets can pass MySQL TEXT's 64 KiB.
  const { createTable, longText, ts } = engineTypes(engine);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await createTable(db, "service_events")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        .addColumn("occurred_at", ts, (c) => c.notNull())
        .addColumn("decky", "varchar(64)", (c) => c.notNull())
        .addColumn("service", "varchar(16)", (c) => c.notNull())
        .addColumn("kind", "varchar(16)", (c) => c.notNull())
        .addColumn("src_ip", "varchar(64)", (c) => c.notNull())
        .addColumn("src_port", "integer", (c) => c.notNull())
        .addColumn("dst_port", "integer", (c) => c.notNull())
        .addColumn("session", "varchar(64)", (c) => c.notNull())
        .addColumn("username", "varchar(255)")
        .addColumn("text", longText)
        .addColumn("detail", longText, (c) => c.notNull())
        .addColumn("benign", "integer", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("service_events_time").on("service_events")
        .column("occurred_at").execute();
      await db.schema.createIndex("service_events_src_time").on("service_events")
        .columns(["src_ip", "occurred_at"]).execute();

      // Attribution reads a source's canary triggers when an attacker is shown.
      await db.schema.createIndex("canary_triggers_src_time").on("canary_triggers")
        .columns(["src_ip", "occurred_at"]).execute();

      await createTable(db, "sensor_log_cursors")
        .addColumn("container", "varchar(128)", (c) => c.primaryKey())
        .addColumn("decky", "varchar(64)", (c) => c.notNull())
        .addColumn("log_time", ts, (c) => c.notNull())
        .addColumn("lines_at_time", "integer", (c) => c.notNull())
        .addColumn("bad_lines", "integer", (c) => c.notNull())
        .addColumn("updated_at", ts, (c) => c.notNull())
        .execute();

      await createTable(db, "attackers")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        .addColumn("ip", "varchar(64)", (c) => c.notNull().unique())
        .addColumn("first_seen", ts, (c) => c.notNull())
        .addColumn("last_seen", ts, (c) => c.notNull())
        .addColumn("event_count", "integer", (c) => c.notNull())
        .addColumn("credential_count", "integer", (c) => c.notNull())
        .addColumn("command_count", "integer", (c) => c.notNull())
        .addColumn("rollup", longText, (c) => c.notNull())
        .execute();
      await db.schema.createIndex("attackers_last_seen").on("attackers")
        .column("last_seen").execute();

      // Which deckies and services an attacker touched: what the attacker list filters on.
      await createTable(db, "attacker_services")
        .addColumn("attacker_id", "integer", (c) => c.notNull())
        .addColumn("decky", "varchar(64)", (c) => c.notNull())
        .addColumn("service", "varchar(16)", (c) => c.notNull())
        .addColumn("first_seen", ts, (c) => c.notNull())
        .addColumn("last_seen", ts, (c) => c.notNull())
        .addColumn("event_count", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("attacker_services_pk", ["attacker_id", "decky", "service"])
        .execute();

      await createTable(db, "credentials")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        .addColumn("fingerprint", "varchar(64)", (c) => c.notNull().unique())
        .addColumn("service", "varchar(16)", (c) => c.notNull())
        .addColumn("username", "varchar(255)", (c) => c.notNull())
        .addColumn("secret_kind", "varchar(16)", (c) => c.notNull())
        .addColumn("secret", longText, (c) => c.notNull())
        .addColumn("domain", "varchar(255)")
        .addColumn("hashcat_mode", "integer")
        .addColumn("hashcat_line", longText)
        .addColumn("first_seen", ts, (c) => c.notNull())
        .addColumn("last_seen", ts, (c) => c.notNull())
        .addColumn("count", "integer", (c) => c.notNull())
        .addColumn("last_src_ip", "varchar(64)", (c) => c.notNull())
        .execute();
    },
  };
}
