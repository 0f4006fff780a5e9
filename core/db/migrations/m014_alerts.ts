import type { Kysely, Migration } from "kysely";
import type { DbEngine } from "../db_handle.ts";
import { engineTypes } from "./_engine_types.ts";

/**
 * Alerts: where they go (`alert_channels`, disabled after repeated failures
 * with the reason kept), when they fire (`alert_rules`), what is still to be
 * delivered (`alert_outbox`, one row per alert and channel, written in the
 * same transaction as the throttle state that let it through) and that
 * throttle and digest state (`alert_throttle`), so a restart neither
 * repeats nor forgets suppressed counts; and how far the stored canary
 * triggers were evaluated (`alert_cursors`), so none is missed or counted twice.
 */
export function m014Alerts(engine: DbEngine): Migration {
  // A digest window's samples and an alert's payload can pass MySQL TEXT's 64 KiB.
  const { createTable, longText, ts } = engineTypes(engine);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await createTable(db, "alert_channels")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        .addColumn("name", "varchar(64)", (c) => c.notNull().unique())
        .addColumn("kind", "varchar(32)", (c) => c.notNull())
        .addColumn("config", longText, (c) => c.notNull())
        .addColumn("enabled", "integer", (c) => c.notNull())
        .addColumn("consecutive_failures", "integer", (c) => c.notNull())
        .addColumn("disabled_reason", "text")
        .addColumn("last_error", "text")
        .addColumn("created_at", ts, (c) => c.notNull())
        .addColumn("updated_at", ts, (c) => c.notNull())
        .execute();

      await createTable(db, "alert_rules")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        .addColumn("name", "varchar(64)", (c) => c.notNull().unique())
        .addColumn("events", "text", (c) => c.notNull())
        .addColumn("filter_token", "varchar(64)")
        .addColumn("filter_decky", "varchar(64)")
        .addColumn("filter_kind", "varchar(64)")
        .addColumn("severity", "varchar(16)", (c) => c.notNull())
        .addColumn("throttle_seconds", "integer", (c) => c.notNull())
        .addColumn("dedupe_by", "varchar(64)", (c) => c.notNull())
        .addColumn("digest_seconds", "integer", (c) => c.notNull())
        .addColumn("channel_ids", "text", (c) => c.notNull())
        .addColumn("enabled", "integer", (c) => c.notNull())
        .addColumn("created_at", ts, (c) => c.notNull())
        .addColumn("updated_at", ts, (c) => c.notNull())
        .execute();

      await createTable(db, "alert_outbox")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        .addColumn("alert_id", "varchar(64)", (c) => c.notNull())
        .addColumn("channel_id", "integer", (c) => c.notNull())
        .addColumn("payload", longText, (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull())
        .addColumn("next_attempt_at", ts, (c) => c.notNull())
        .addColumn("state", "varchar(16)", (c) => c.notNull())
        .addColumn("last_error", "text")
        .addColumn("created_at", ts, (c) => c.notNull())
        .addColumn("delivered_at", ts)
        // An alert replayed after a crash lands on the row it already has.
        .addUniqueConstraint("alert_outbox_alert_channel", ["alert_id", "channel_id"])
        .execute();
      await db.schema.createIndex("alert_outbox_due").on("alert_outbox")
        .columns(["state", "next_attempt_at"]).execute();

      await createTable(db, "alert_throttle")
        .addColumn("rule_id", "integer", (c) => c.notNull())
        .addColumn("dedupe_key", "varchar(255)", (c) => c.notNull())
        .addColumn("window_start", ts, (c) => c.notNull())
        .addColumn("window_end", ts)
        .addColumn("suppressed", "integer", (c) => c.notNull())
        .addColumn("digest", longText)
        .addPrimaryKeyConstraint("alert_throttle_pk", ["rule_id", "dedupe_key"])
        .execute();

      // How far the worker has evaluated a stored stream (canary triggers), moved with its alerts.
      await createTable(db, "alert_cursors")
        .addColumn("stream", "varchar(64)", (c) => c.primaryKey())
        .addColumn("position", "integer", (c) => c.notNull())
        .addColumn("updated_at", ts, (c) => c.notNull())
        .execute();
    },
  };
}
