import type { Kysely, Migration } from "kysely";
import type { DbEngine } from "../db_handle.ts";
import { engineTypes } from "./_engine_types.ts";

/**
 * Swarm: the agent hosts a master enrolled (`swarm_hosts`). A row is made by
 * `decnet swarm enroll` with the sha256 of a one-time join token and its
 * expiry; the agent's join fills its NATS user public key and `enrolled_at`;
 * revocation sets `revoked_at` (the row stays: its key is on the account's
 * revocation list for good). `swarm_events`: what agents sent over JetStream,
 * keyed by the event's own id so a redelivered event is stored once.
 */
export function m018SwarmHosts(engine: DbEngine): Migration {
  const { createTable, longText, ts } = engineTypes(engine);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await createTable(db, "swarm_hosts")
        .addColumn("name", "varchar(63)", (c) => c.primaryKey())
        .addColumn("public_key", "varchar(56)")
        .addColumn("join_token_hash", "varchar(64)")
        .addColumn("join_expires_at", ts)
        .addColumn("created_at", ts, (c) => c.notNull())
        .addColumn("enrolled_at", ts)
        .addColumn("last_heartbeat", ts)
        .addColumn("version", "varchar(64)")
        .addColumn("revoked_at", ts)
        .execute();
      await createTable(db, "swarm_events")
        .addColumn("event_id", "varchar(64)", (c) => c.primaryKey())
        .addColumn("host", "varchar(63)", (c) => c.notNull())
        .addColumn("kind", "varchar(64)", (c) => c.notNull())
        .addColumn("occurred_at", ts, (c) => c.notNull())
        .addColumn("received_at", ts, (c) => c.notNull())
        .addColumn("payload", longText, (c) => c.notNull())
        .execute();
      await db.schema.createIndex("swarm_events_host_time").on("swarm_events")
        .columns(["host", "occurred_at"]).execute();
    },
  };
}
