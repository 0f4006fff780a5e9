import type { Kysely, Migration } from "kysely";
import type { DbEngine } from "../db_handle.ts";
import { engineTypes } from "./_engine_types.ts";

/**
 * Integrations: the audit log of operator actions (`audit_log`: who, what,
 * when, on what, with what outcome; never a secret) and the read-only API
 * keys SIEM/SOAR tools pull with (`api_keys`: only the sha256 of each key is
 * stored, looked up by that hash).
 */
export function m015AuditAndApiKeys(engine: DbEngine): Migration {
  // A deploy's per-decky detail can pass MySQL TEXT's 64 KiB.
  const { createTable, longText, ts } = engineTypes(engine);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await createTable(db, "audit_log")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        .addColumn("occurred_at", ts, (c) => c.notNull())
        .addColumn("actor", "varchar(64)", (c) => c.notNull())
        .addColumn("actor_kind", "varchar(8)", (c) => c.notNull())
        .addColumn("os_user", "varchar(64)")
        .addColumn("client_ip", "varchar(64)")
        .addColumn("action", "varchar(48)", (c) => c.notNull())
        .addColumn("target", "varchar(255)")
        .addColumn("outcome", "varchar(8)", (c) => c.notNull())
        .addColumn("detail", longText, (c) => c.notNull())
        .execute();
      await db.schema.createIndex("audit_log_time").on("audit_log")
        .column("occurred_at").execute();
      await db.schema.createIndex("audit_log_actor_time").on("audit_log")
        .columns(["actor", "occurred_at"]).execute();
      await db.schema.createIndex("audit_log_action_time").on("audit_log")
        .columns(["action", "occurred_at"]).execute();

      await createTable(db, "api_keys")
        .addColumn("uuid", "varchar(36)", (c) => c.primaryKey())
        .addColumn("name", "varchar(64)", (c) => c.notNull())
        .addColumn("key_hash", "varchar(64)", (c) => c.notNull().unique())
        .addColumn("key_prefix", "varchar(16)", (c) => c.notNull())
        .addColumn("role", "varchar(16)", (c) => c.notNull())
        .addColumn("created_by", "varchar(64)", (c) => c.notNull())
        .addColumn("created_at", ts, (c) => c.notNull())
        .addColumn("expires_at", ts)
        .addColumn("last_used_at", ts)
        .addColumn("revoked_at", ts)
        .execute();
    },
  };
}
