import { Migrator } from "kysely";
import type { Kysely, Migration, MigrationResultSet } from "kysely";
import type { DbEngine, DbHandle } from "./db_handle.ts";
import { m001Initial } from "./migrations/m001_initial.ts";
import { m002TriggerRollups } from "./migrations/m002_trigger_rollups.ts";
import { m007CanaryJournalCursors } from "./migrations/m007_canary_journal_cursors.ts";
import { m010DropTopologies } from "./migrations/m010_drop_topologies.ts";
import { m011Attackers } from "./migrations/m011_attackers.ts";
import { m012TcpFingerprints } from "./migrations/m012_tcp_fingerprints.ts";
import { m013Campaigns } from "./migrations/m013_campaigns.ts";
import { m015AuditAndApiKeys } from "./migrations/m015_audit_and_api_keys.ts";
import { m014Alerts } from "./migrations/m014_alerts.ts";
import { m016DomainEvents } from "./migrations/m016_domain_events.ts";
import { m018SwarmHosts } from "./migrations/m018_swarm_hosts.ts";
import { m019AttackerServiceHosts } from "./migrations/m019_attacker_service_hosts.ts";
import { openDatabase } from "./open_database.ts";

/**
 * Every migration, in order. Held in code (not read from disk) so the single
 * binary carries them. A landed migration is never edited; add the next one.
 */
function migrationsFor(engine: DbEngine): Record<string, Migration> {
  return {
    "001_initial": m001Initial(engine),
    "002_trigger_rollups": m002TriggerRollups(),
    "007_canary_journal_cursors": m007CanaryJournalCursors(engine),
    "010_drop_topologies": m010DropTopologies(),
    "011_attackers": m011Attackers(engine),
    "012_tcp_fingerprints": m012TcpFingerprints(engine),
    "013_campaigns": m013Campaigns(engine),
    "015_audit_and_api_keys": m015AuditAndApiKeys(engine),
    "014_alerts": m014Alerts(engine),
    "016_domain_events": m016DomainEvents(engine),
    "018_swarm_hosts": m018SwarmHosts(engine),
    "019_attacker_service_hosts": m019AttackerServiceHosts(),
  };
}

/** One migration's name and whether it has been applied. */
export interface MigrationStatus {
  name: string;
  applied: boolean;
  executed_at: string | null;
}

/** Result of a batch migration: per-migration outcome, and the error if one failed. */
export interface MigrateResult {
  results: { name: string; status: "Success" | "Error" | "NotExecuted" }[];
  error?: string;
}

function migratorFor(handle: DbHandle): Migrator {
  const migrations = migrationsFor(handle.engine);
  return new Migrator({
    db: handle.db as unknown as Kysely<unknown>,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    migrationTableName: "schema_migrations",
    migrationLockTableName: "schema_migrations_lock",
  });
}

/**
 * Applies every pending migration. Returns per-migration results instead of
 * throwing half-way.
 *
 * @example
 * ```ts
 * import type { DbHandle } from "./db_handle.ts";
 * declare const handle: DbHandle;
 * const { error } = await migrateToLatest(handle);
 * ```
 */
export async function migrateToLatest(handle: DbHandle): Promise<MigrateResult> {
  return toResult(await migratorFor(handle).migrateToLatest());
}

/** Lists every known migration and whether it is applied. */
export async function migrationStatus(handle: DbHandle): Promise<MigrationStatus[]> {
  const infos = await migratorFor(handle).getMigrations();
  return infos.map((m) => ({
    name: m.name,
    applied: m.executedAt !== undefined,
    executed_at: m.executedAt ? m.executedAt.toISOString() : null,
  }));
}

/** Drops every table of ours, migration bookkeeping included. */
export async function resetDatabase(handle: DbHandle): Promise<void> {
  const tables = [
    "domain_events",
    "swarm_events",
    "swarm_hosts",
    "tcp_fingerprints",
    "api_keys",
    "audit_log",
    "campaign_actions",
    "campaigns",
    "identity_members",
    "identities",
    "alert_cursors",
    "alert_throttle",
    "alert_outbox",
    "alert_rules",
    "alert_channels",
    "credentials",
    "attacker_services",
    "attackers",
    "sensor_log_cursors",
    "service_events",
    "canary_journal_cursors",
    "canary_triggers",
    "canary_tokens",
    "canary_blobs",
    "orchestrator_emails",
    "orchestrator_events",
    "synthetic_files",
    "decky_shards",
    // Dropped by 010; still here for a database reset before it ran.
    "topology_deckies",
    "topologies",
    "fleet_deckies",
    "settings",
    "revoked_tokens",
    "users",
    "schema_migrations",
    "schema_migrations_lock",
  ];
  const db = handle.db as unknown as Kysely<unknown>;
  for (const table of tables) await db.schema.dropTable(table).ifExists().execute();
}

function toResult(set: MigrationResultSet): MigrateResult {
  const results = (set.results ?? []).map((r) => ({ name: r.migrationName, status: r.status }));
  if (set.error === undefined) return { results };
  return {
    results,
    error: set.error instanceof Error ? set.error.message : String(set.error),
  };
}

/**
 * Opens the database and applies pending migrations (what every worker does
 * at start).
 *
 * @throws {Error} when a migration fails (the handle is closed first)
 */
export async function openMigratedDatabase(url: string): Promise<DbHandle> {
  const handle = await openDatabase(url);
  const result = await migrateToLatest(handle);
  if (result.error !== undefined) {
    await handle.close();
    throw new Error(`Cannot migrate the database: ${result.error}`);
  }
  return handle;
}
