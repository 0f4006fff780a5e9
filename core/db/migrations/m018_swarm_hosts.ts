import type { Kysely, Migration } from "kysely";
import type { DbEngine } from "../db_handle.ts";
import { engineTypes } from "./_engine_types.ts";

/**
 * Swarm: the agent hosts a master enrolled (`swarm_hosts`). A row is made by
 * `decnet swarm enroll` with the sha256 of a one-time join token and its
 * expiry; the agent's join fills its NATS user public key and `enrolled_at`;
 * revocation sets `revoked_at` (the row stays: its key is on the account's
 * revocation list for good).
 */
export function m018SwarmHosts(engine: DbEngine): Migration {
  const { createTable, ts } = engineTypes(engine);
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
    },
  };
}
