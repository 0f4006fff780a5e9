import type { Kysely, Migration } from "kysely";
import type { DbEngine } from "../db_handle.ts";
import { engineTypes } from "./_engine_types.ts";

/**
 * Passive TCP fingerprints (the sniffer): each attacker's current TCP stack
 * snapshot (`attackers.tcp_fingerprint`, JSON) and every fingerprint event,
 * one per change of its dedupe key (`tcp_fingerprints`).
 */
export function m012TcpFingerprints(engine: DbEngine): Migration {
  const { createTable, ts } = engineTypes(engine);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("attackers").addColumn("tcp_fingerprint", "text").execute();
      await createTable(db, "tcp_fingerprints")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        .addColumn("attacker_id", "integer", (c) => c.notNull())
        .addColumn("occurred_at", ts, (c) => c.notNull())
        .addColumn("src_ip", "varchar(64)", (c) => c.notNull())
        .addColumn("decky", "varchar(64)", (c) => c.notNull())
        .addColumn("os_guess", "varchar(64)", (c) => c.notNull())
        .addColumn("ipid_class", "varchar(16)", (c) => c.notNull())
        .addColumn("isn_class", "varchar(16)", (c) => c.notNull())
        .addColumn("event", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("tcp_fingerprints_attacker").on("tcp_fingerprints")
        .columns(["attacker_id", "id"]).execute();
    },
  };
}
