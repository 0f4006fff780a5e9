import type { ColumnDefinitionBuilder, Kysely, Migration } from "kysely";
import type { DbEngine } from "../db_handle.ts";
import { engineTypes } from "./_engine_types.ts";

type OwnerColumn = (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;

/**
 * Initial schema: every table of {@linkcode Database}. Landed: its schema
 * never changes (add a migration); the code may be reshaped only when the
 * schema it creates stays byte-identical on SQLite and MariaDB.
 */
export function m001Initial(engine: DbEngine): Migration {
  // MySQL TEXT stops at 64 KiB of bytes; bodies capped at 64 KiB of characters need more.
  const { createTable, longText, ts } = engineTypes(engine);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const stateIndex = (table: string) =>
        db.schema.createIndex(`${table}_state`).on(table).column("state").execute();
      // Deckies of a topology and of a remote agent: the same table but for the owner column.
      const createMemberTable = async (
        table: string,
        owner: {
          column: string;
          type: "varchar(36)" | "varchar(64)";
          build: OwnerColumn;
          unique: string;
        },
      ) => {
        await createTable(db, table)
          .addColumn("uuid", "varchar(36)", (c) => c.primaryKey())
          .addColumn(owner.column, owner.type, owner.build)
          .addColumn("name", "varchar(64)", (c) => c.notNull())
          .addColumn("ip", "varchar(64)")
          .addColumn("services", "text", (c) => c.notNull())
          .addColumn("state", "varchar(16)", (c) => c.notNull())
          .addColumn("created_at", ts, (c) => c.notNull())
          .addColumn("updated_at", ts, (c) => c.notNull())
          .addUniqueConstraint(owner.unique, [owner.column, "name"])
          .execute();
        await stateIndex(table);
      };

      await createTable(db, "users")
        .addColumn("uuid", "varchar(36)", (c) => c.primaryKey())
        .addColumn("username", "varchar(64)", (c) => c.notNull().unique())
        .addColumn("password_hash", "varchar(255)", (c) => c.notNull())
        .addColumn("role", "varchar(16)", (c) => c.notNull())
        .addColumn("created_at", ts, (c) => c.notNull())
        .addColumn("updated_at", ts, (c) => c.notNull())
        .addColumn("password_changed_at", ts, (c) => c.notNull())
        .execute();

      await createTable(db, "revoked_tokens")
        .addColumn("jti", "varchar(64)", (c) => c.primaryKey())
        .addColumn("expires_at", ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex("revoked_tokens_expires_at").on("revoked_tokens")
        .column("expires_at").execute();

      await createTable(db, "settings")
        .addColumn("key", "varchar(64)", (c) => c.primaryKey())
        .addColumn("value", longText, (c) => c.notNull())
        .addColumn("updated_at", ts, (c) => c.notNull())
        .execute();

      await createTable(db, "fleet_deckies")
        .addColumn("host_uuid", "varchar(64)", (c) => c.notNull())
        .addColumn("name", "varchar(64)", (c) => c.notNull())
        .addColumn("uuid", "varchar(36)", (c) => c.notNull().unique())
        .addColumn("ip", "varchar(64)")
        .addColumn("services", "text", (c) => c.notNull())
        .addColumn("images", "text", (c) => c.notNull())
        .addColumn("network", "varchar(128)")
        .addColumn("network_driver", "varchar(16)")
        .addColumn("os_persona", "varchar(16)", (c) => c.notNull())
        .addColumn("state", "varchar(16)", (c) => c.notNull())
        .addColumn("state_since", ts, (c) => c.notNull())
        .addColumn("created_at", ts, (c) => c.notNull())
        .addColumn("updated_at", ts, (c) => c.notNull())
        .addPrimaryKeyConstraint("fleet_deckies_pk", ["host_uuid", "name"])
        .execute();
      await stateIndex("fleet_deckies");

      await createTable(db, "topologies")
        .addColumn("id", "varchar(36)", (c) => c.primaryKey())
        .addColumn("name", "varchar(128)", (c) => c.notNull().unique())
        .addColumn("description", "text", (c) => c.notNull())
        .addColumn("email_personas", longText, (c) => c.notNull())
        .addColumn("created_at", ts, (c) => c.notNull())
        .addColumn("updated_at", ts, (c) => c.notNull())
        .execute();

      await createMemberTable("topology_deckies", {
        column: "topology_id",
        type: "varchar(36)",
        build: (c) => c.notNull().references("topologies.id").onDelete("cascade"),
        unique: "topology_deckies_topology_name",
      });
      await createMemberTable("decky_shards", {
        column: "host_uuid",
        type: "varchar(64)",
        build: (c) => c.notNull(),
        unique: "decky_shards_host_name",
      });

      await createTable(db, "synthetic_files")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        .addColumn("decky_uuid", "varchar(36)", (c) => c.notNull())
        .addColumn("path", "varchar(512)", (c) => c.notNull())
        .addColumn("persona", "varchar(255)", (c) => c.notNull())
        .addColumn("content_class", "varchar(32)", (c) => c.notNull())
        .addColumn("created_at", ts, (c) => c.notNull())
        .addColumn("last_modified", ts, (c) => c.notNull())
        .addColumn("edit_count", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("content_hash", "varchar(64)", (c) => c.notNull())
        .addColumn("last_body", longText, (c) => c.notNull())
        .addUniqueConstraint("synthetic_files_decky_path", ["decky_uuid", "path"])
        .execute();

      await createTable(db, "orchestrator_events")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        .addColumn("ts", ts, (c) => c.notNull())
        .addColumn("kind", "varchar(16)", (c) => c.notNull())
        .addColumn("src_decky_uuid", "varchar(36)")
        .addColumn("src_decky_name", "varchar(64)")
        .addColumn("dst_decky_uuid", "varchar(36)")
        .addColumn("dst_decky_name", "varchar(64)")
        .addColumn("success", "integer", (c) => c.notNull())
        .addColumn("payload", longText, (c) => c.notNull())
        .addColumn("error", "text")
        .execute();
      await db.schema.createIndex("orchestrator_events_dst_ts").on("orchestrator_events")
        .columns(["dst_decky_uuid", "ts"]).execute();
      await db.schema.createIndex("orchestrator_events_ts").on("orchestrator_events")
        .column("ts").execute();
      await db.schema.createIndex("orchestrator_events_kind_ts").on("orchestrator_events")
        .columns(["kind", "ts"]).execute();

      await createTable(db, "orchestrator_emails")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        .addColumn("ts", ts, (c) => c.notNull())
        .addColumn("mail_decky_uuid", "varchar(36)", (c) => c.notNull())
        .addColumn("mail_decky_name", "varchar(64)", (c) => c.notNull())
        .addColumn("thread_id", "varchar(64)", (c) => c.notNull())
        .addColumn("message_id", "varchar(255)", (c) => c.notNull())
        .addColumn("in_reply_to", "varchar(255)")
        .addColumn("references_chain", "text", (c) => c.notNull())
        .addColumn("sender", "varchar(255)", (c) => c.notNull())
        .addColumn("recipient", "varchar(255)", (c) => c.notNull())
        .addColumn("subject", "varchar(512)", (c) => c.notNull())
        .addColumn("language", "varchar(8)", (c) => c.notNull())
        .addColumn("body", longText, (c) => c.notNull())
        .addColumn("path", "varchar(512)", (c) => c.notNull())
        .addColumn("success", "integer", (c) => c.notNull())
        .addColumn("error", "text")
        .execute();
      await db.schema.createIndex("orchestrator_emails_decky_ts").on("orchestrator_emails")
        .columns(["mail_decky_uuid", "ts"]).execute();
      await db.schema.createIndex("orchestrator_emails_thread").on("orchestrator_emails")
        .columns(["thread_id", "ts"]).execute();
      await db.schema.createIndex("orchestrator_emails_ts").on("orchestrator_emails")
        .column("ts").execute();

      await createTable(db, "canary_blobs")
        .addColumn("uuid", "varchar(36)", (c) => c.primaryKey())
        .addColumn("sha256", "varchar(64)", (c) => c.notNull().unique())
        .addColumn("filename", "varchar(255)", (c) => c.notNull())
        .addColumn("mime", "varchar(128)", (c) => c.notNull())
        .addColumn("size", "bigint", (c) => c.notNull())
        .addColumn("created_at", ts, (c) => c.notNull())
        .execute();

      await createTable(db, "canary_tokens")
        .addColumn("uuid", "varchar(36)", (c) => c.primaryKey())
        .addColumn("callback_token", "varchar(64)", (c) => c.notNull().unique())
        .addColumn("callback_token_lc", "varchar(64)", (c) => c.notNull().unique())
        .addColumn("kind", "varchar(16)", (c) => c.notNull())
        .addColumn("generator", "varchar(32)")
        .addColumn("blob_uuid", "varchar(36)", (c) => c.references("canary_blobs.uuid"))
        .addColumn("content_class", "varchar(32)")
        .addColumn("decky_name", "varchar(64)")
        .addColumn("decky_uuid", "varchar(36)")
        .addColumn("placement_path", "varchar(1024)")
        .addColumn("persona", "varchar(255)")
        .addColumn("http_base", "varchar(512)", (c) => c.notNull())
        .addColumn("dns_zone", "varchar(255)", (c) => c.notNull())
        .addColumn("state", "varchar(16)", (c) => c.notNull())
        .addColumn("trigger_count", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("last_triggered_at", ts)
        .addColumn("last_error", "text")
        .addColumn("created_at", ts, (c) => c.notNull())
        .addColumn("updated_at", ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex("canary_tokens_decky_state").on("canary_tokens")
        .columns(["decky_name", "state"]).execute();
      await db.schema.createIndex("canary_tokens_blob").on("canary_tokens")
        .column("blob_uuid").execute();

      await createTable(db, "canary_triggers")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        .addColumn(
          "token_uuid",
          "varchar(36)",
          (c) => c.notNull().references("canary_tokens.uuid").onDelete("cascade"),
        )
        .addColumn("occurred_at", ts, (c) => c.notNull())
        .addColumn("src_ip", "varchar(64)", (c) => c.notNull())
        .addColumn("user_agent", "text")
        .addColumn("method", "varchar(16)")
        .addColumn("request_path", "text")
        .addColumn("dns_qname", "varchar(255)")
        .addColumn("dns_client_subnet", "varchar(64)")
        .addColumn("headers", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("canary_triggers_token_time").on("canary_triggers")
        .columns(["token_uuid", "occurred_at"]).execute();
      await db.schema.createIndex("canary_triggers_time").on("canary_triggers")
        .column("occurred_at").execute();
    },
  };
}
