/**
 * Storage: the typed {@linkcode Database} schema, SQLite (node:sqlite) and
 * MySQL/MariaDB (mysql2) dialects behind Kysely, versioned migrations, and
 * one repository per domain. No SQL lives outside this folder.
 *
 * @module
 */
export type * from "./schema.ts";
export type { DbEngine, DbHandle } from "./db_handle.ts";
export { maskDbUrl, parseDbUrl } from "./db_url.ts";
export type { DbTarget } from "./db_url.ts";
export { openDatabase } from "./open_database.ts";
export type { OpenDatabaseOptions } from "./open_database.ts";
export { migrateToLatest, migrationStatus, resetDatabase } from "./migrate.ts";
export type { MigrateResult, MigrationStatus } from "./migrate.ts";
