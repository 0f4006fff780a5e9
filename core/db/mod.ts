/**
 * Storage: the typed {@linkcode Database} schema, SQLite (node:sqlite) and
 * MySQL/MariaDB (mysql2) dialects behind Kysely, versioned migrations, and
 * one repository per domain. No SQL lives outside this folder.
 *
 * @module
 */
export type * from "./schema.ts";
export type { DbEngine, DbHandle } from "./db_handle.ts";
export { parseDbUrl } from "./db_url.ts";
export { USERNAME_REGEXP, validateUsername } from "./validate_username.ts";
export type { DbTarget } from "./db_url.ts";
export { openDatabase } from "./open_database.ts";
export { readChangeStamp } from "./read_change_stamp.ts";
export type { OpenDatabaseOptions } from "./open_database.ts";
export {
  migrateToLatest,
  migrationStatus,
  openMigratedDatabase,
  resetDatabase,
} from "./migrate.ts";
export type { MigrateResult, MigrationStatus } from "./migrate.ts";
export { isoTime, systemClock } from "./clock.ts";
export type { Clock } from "./clock.ts";
export { createRepositories } from "./repositories.ts";
export { DatabaseProbe } from "./database_probe.ts";
export type { DatabaseProbeOptions, DatabaseStatus } from "./database_probe.ts";
export type { Repositories } from "./repositories.ts";
export {
  AttackersRepository,
  credentialFingerprint,
  SensorCursorMovedError,
} from "./repositories/attackers_repository.ts";
export type {
  AttackerFilter,
  AttackerRow,
  CredentialRow,
  SensorLogBatch,
  SensorLogPosition,
  ServiceEventFilter,
  ServiceEventRow,
  StoredSensorBatch,
} from "./repositories/attackers_repository.ts";
export { TcpFingerprintsRepository } from "./repositories/tcp_fingerprints_repository.ts";
export type { RecordedTcpFingerprint } from "./repositories/tcp_fingerprints_repository.ts";
export { CampaignsRepository } from "./repositories/campaigns_repository.ts";
export {
  CampaignChangeError,
  MERGE_CHAIN_LIMIT,
  unionSets,
} from "./repositories/campaign_records.ts";
export type {
  ActivityRow,
  CampaignAction,
  CampaignFilter,
  CampaignRow,
  ClusteredCampaign,
  ClusteredIdentity,
  FingerprintSets,
  IdentityFilter,
  IdentityMember,
  IdentityRow,
  StoredClustering,
} from "./repositories/campaign_records.ts";
export { emptyRollup, foldAttackerEvents, ROLLUP_SET_LIMIT } from "./attacker_rollup.ts";
export type { AttackerRollup, AttackerTotals } from "./attacker_rollup.ts";
export { AuditRepository } from "./repositories/audit_repository.ts";
export type { AuditFilter, AuditInput, AuditRow } from "./repositories/audit_repository.ts";
export { ApiKeysRepository } from "./repositories/api_keys_repository.ts";
export { SwarmEventsRepository } from "./repositories/swarm_events_repository.ts";
export type { SwarmEventInput, SwarmEventRow } from "./repositories/swarm_events_repository.ts";
export { SwarmHostsRepository } from "./repositories/swarm_hosts_repository.ts";
export type {
  SwarmEnrollConflict,
  SwarmHostRow,
  SwarmRedeemInput,
} from "./repositories/swarm_hosts_repository.ts";
export type { ApiKeyInput, ApiKeyRole, ApiKeyRow } from "./repositories/api_keys_repository.ts";
export { AlertsRepository } from "./repositories/alerts_repository.ts";
export type {
  AlertBatch,
  AlertChannelRecord,
  AlertDeliveryRecord,
  AlertDeliveryState,
  AlertRuleInput,
  AlertRuleRecord,
  AlertThrottleRecord,
} from "./repositories/alerts_repository.ts";
export {
  ALERT_SOURCE_TABLES,
  AlertSourcesRepository,
} from "./repositories/alert_sources_repository.ts";
export type {
  AlertSourceTable,
  CredentialSourceRow,
  DomainEventRecord,
  TcpFingerprintSourceRow,
} from "./repositories/alert_sources_repository.ts";
export { DOMAIN_EVENT_KINDS } from "./repositories/_domain_events.ts";
export type { DomainEventInput, DomainEventKind } from "./repositories/_domain_events.ts";
export { UsersRepository } from "./repositories/users_repository.ts";
export type { UserRole, UserRow } from "./repositories/users_repository.ts";
export { SettingsRepository } from "./repositories/settings_repository.ts";
export { DECKY_STATES, FleetRepository } from "./repositories/fleet_repository.ts";
export type {
  DeckySource,
  DeckyState,
  FleetDecky,
  FleetDeckyInput,
  ListedDecky,
  RunningDecky,
} from "./repositories/fleet_repository.ts";
export {
  MAX_LAST_BODY,
  SyntheticFilesRepository,
} from "./repositories/synthetic_files_repository.ts";
export type {
  SyntheticFileInput,
  SyntheticFileRow,
} from "./repositories/synthetic_files_repository.ts";
export { OrchestratorRepository } from "./repositories/orchestrator_repository.ts";
export type {
  EventFilter,
  OrchestratorEmailRow,
  OrchestratorEventRow,
} from "./repositories/orchestrator_repository.ts";
export { ACTIVE_TOKEN_STATES, CanaryRepository } from "./repositories/canary_repository.ts";
export {
  CanaryJournalRepository,
  JournalCursorMovedError,
} from "./repositories/canary_journal_repository.ts";
export type {
  ActiveTokenSummary,
  JournalPosition,
} from "./repositories/canary_journal_repository.ts";
export type {
  CanaryBlobRow,
  CanaryRepositoryOptions,
  CanaryTokenRow,
  InTransaction,
  RecordedRollup,
  RecordedTriggers,
  RecordTriggersOptions,
  TokenFilter,
  TriggerInput,
} from "./repositories/canary_repository.ts";
export type { TriggerView } from "./repositories/trigger_view.ts";
export {
  DEFAULT_TRIGGER_CAP,
  DEFAULT_TRIGGER_RATE,
  PREFIX_ROLLUPS_PER_WINDOW,
  TRIGGER_WINDOW_MS,
  TriggerRollupPlanner,
} from "./trigger_rollup_planner.ts";
export type { RollupScope, TriggerRollupConfig } from "./trigger_rollup_planner.ts";
export { triggerShape } from "./trigger_shape.ts";
export { sourcePrefix } from "./source_prefix.ts";
