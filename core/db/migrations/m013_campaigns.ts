import type { Kysely, Migration } from "kysely";
import type { DbEngine } from "../db_handle.ts";
import { engineTypes } from "./_engine_types.ts";

/**
 * What the clusterer concludes from attacker records: `identities` (one
 * actor behind one or more addresses, with its members in
 * `identity_members`), `campaigns` (identities working together; a merged
 * campaign keeps its row and points at the winner through `merged_into`) and
 * `campaign_actions`, the admins' manual merges, splits and notes. Manual
 * decisions carry a flag (`merge_manual`, `manual`, `pinned`) that
 * reclustering never overrides.
 */
export function m013Campaigns(engine: DbEngine): Migration {
  // Fingerprint sets and notes can pass MySQL TEXT's 64 KiB.
  const { createTable, longText, ts } = engineTypes(engine);
  const campaignId = "varchar(40)";
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await createTable(db, "identities")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        // 191 characters: the longest a unique utf8mb4 index takes on every MySQL.
        .addColumn("key", "varchar(191)", (c) => c.notNull().unique())
        .addColumn("first_seen", ts, (c) => c.notNull())
        .addColumn("last_seen", ts, (c) => c.notNull())
        .addColumn("address_count", "integer", (c) => c.notNull())
        .addColumn("fingerprints", longText, (c) => c.notNull())
        .addColumn("campaign_id", campaignId)
        .addColumn("pinned", "integer", (c) => c.notNull())
        .addColumn("notes", longText, (c) => c.notNull())
        .addColumn("created_at", ts, (c) => c.notNull())
        .addColumn("updated_at", ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex("identities_campaign").on("identities")
        .column("campaign_id").execute();
      await db.schema.createIndex("identities_last_seen").on("identities")
        .column("last_seen").execute();

      await createTable(db, "identity_members")
        .addColumn("attacker_id", "integer", (c) => c.primaryKey())
        .addColumn("identity_id", "integer", (c) => c.notNull())
        .addColumn("ip", "varchar(64)", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("identity_members_identity").on("identity_members")
        .column("identity_id").execute();

      await createTable(db, "campaigns")
        .addColumn("id", campaignId, (c) => c.primaryKey())
        .addColumn("first_seen", ts, (c) => c.notNull())
        .addColumn("last_seen", ts, (c) => c.notNull())
        .addColumn("identity_count", "integer", (c) => c.notNull())
        .addColumn("address_count", "integer", (c) => c.notNull())
        .addColumn("fingerprints", longText, (c) => c.notNull())
        .addColumn("evidence", longText, (c) => c.notNull())
        .addColumn("confidence", "double precision", (c) => c.notNull())
        .addColumn("merged_into", campaignId)
        .addColumn("merge_manual", "integer", (c) => c.notNull())
        .addColumn("manual", "integer", (c) => c.notNull())
        .addColumn("notes", longText, (c) => c.notNull())
        .addColumn("created_at", ts, (c) => c.notNull())
        .addColumn("updated_at", ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex("campaigns_last_seen").on("campaigns")
        .column("last_seen").execute();
      await db.schema.createIndex("campaigns_merged_into").on("campaigns")
        .column("merged_into").execute();

      await createTable(db, "campaign_actions")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        .addColumn("at", ts, (c) => c.notNull())
        .addColumn("actor", "varchar(64)", (c) => c.notNull())
        .addColumn("action", "varchar(16)", (c) => c.notNull())
        .addColumn("campaign_id", campaignId, (c) => c.notNull())
        .addColumn("detail", longText, (c) => c.notNull())
        .execute();
      await db.schema.createIndex("campaign_actions_campaign").on("campaign_actions")
        .column("campaign_id").execute();
    },
  };
}
