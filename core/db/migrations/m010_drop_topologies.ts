import type { Kysely, Migration } from "kysely";

/**
 * Drops the topology tables of {@linkcode m001Initial}: nothing ever wrote
 * them (fleet deckies come from the fleet file, remote ones are shard rows).
 * Numbered 010 so that migrations landing meanwhile keep their own numbers.
 */
export function m010DropTopologies(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // Members first: they reference their topology.
      await db.schema.dropTable("topology_deckies").ifExists().execute();
      await db.schema.dropTable("topologies").ifExists().execute();
    },
  };
}
