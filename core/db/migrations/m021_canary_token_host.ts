import type { Kysely, Migration } from "kysely";

/**
 * `canary_tokens.decky_host`: the swarm host whose decky holds the token's
 * bait (null: the master's own Docker), so the master, which keeps every
 * token, knows which agent to ask when the bait must come out again.
 */
export function m021CanaryTokenHost(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("canary_tokens").addColumn("decky_host", "varchar(63)").execute();
    },
  };
}
