import type { Kysely, Migration } from "kysely";

/**
 * Swarm: which host each decky and service an attacker touched runs on
 * (`attacker_services.host`, a swarm agent's name), so the master can show
 * and filter attackers by host. NULL is this host (a standalone host's or
 * the master's own sensors).
 */
export function m019AttackerServiceHosts(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("attacker_services").addColumn("host", "varchar(63)").execute();
      await db.schema.createIndex("attacker_services_host").on("attacker_services")
        .columns(["host", "attacker_id"]).execute();
    },
  };
}
