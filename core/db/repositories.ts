import type { DbHandle } from "./db_handle.ts";
import { AlertsRepository } from "./repositories/alerts_repository.ts";
import { AlertSourcesRepository } from "./repositories/alert_sources_repository.ts";
import type { Clock } from "./clock.ts";
import { ApiKeysRepository } from "./repositories/api_keys_repository.ts";
import { AttackersRepository } from "./repositories/attackers_repository.ts";
import { AuditRepository } from "./repositories/audit_repository.ts";
import { CampaignsRepository } from "./repositories/campaigns_repository.ts";
import { CanaryJournalRepository } from "./repositories/canary_journal_repository.ts";
import type { TriggerRollupConfig } from "./trigger_rollup_planner.ts";
import { CanaryRepository } from "./repositories/canary_repository.ts";
import { FleetRepository } from "./repositories/fleet_repository.ts";
import { OrchestratorRepository } from "./repositories/orchestrator_repository.ts";
import { SettingsRepository } from "./repositories/settings_repository.ts";
import { SwarmEventsRepository } from "./repositories/swarm_events_repository.ts";
import { SwarmHostsRepository } from "./repositories/swarm_hosts_repository.ts";
import { SyntheticFilesRepository } from "./repositories/synthetic_files_repository.ts";
import { TcpFingerprintsRepository } from "./repositories/tcp_fingerprints_repository.ts";
import { UsersRepository } from "./repositories/users_repository.ts";

/** One repository per domain, over one open database. */
export interface Repositories {
  users: UsersRepository;
  settings: SettingsRepository;
  fleet: FleetRepository;
  syntheticFiles: SyntheticFilesRepository;
  orchestrator: OrchestratorRepository;
  canary: CanaryRepository;
  canaryJournals: CanaryJournalRepository;
  attackers: AttackersRepository;
  tcpFingerprints: TcpFingerprintsRepository;
  audit: AuditRepository;
  apiKeys: ApiKeysRepository;
  campaigns: CampaignsRepository;
  alerts: AlertsRepository;
  alertSources: AlertSourcesRepository;
  swarmHosts: SwarmHostsRepository;
  swarmEvents: SwarmEventsRepository;
}

/**
 * Builds every repository over `handle`; `triggerRollup` says how the canary
 * repository folds trigger floods (DECNET_CANARY_TRIGGER_RATE and _CAP).
 *
 * @example
 * ```ts
 * import type { DbHandle } from "./db_handle.ts";
 * declare const handle: DbHandle;
 * const repos = createRepositories(handle);
 * await repos.users.count();
 * ```
 */
export function createRepositories(
  handle: DbHandle,
  options: { clock?: Clock; triggerRollup?: TriggerRollupConfig } = {},
): Repositories {
  const { db } = handle;
  const canary = new CanaryRepository(db, options);
  return {
    users: new UsersRepository(db, options),
    settings: new SettingsRepository(db, options),
    fleet: new FleetRepository(db, options),
    syntheticFiles: new SyntheticFilesRepository(db),
    orchestrator: new OrchestratorRepository(db),
    canary,
    canaryJournals: new CanaryJournalRepository(db, canary, options),
    attackers: new AttackersRepository(db, { ...options, engine: handle.engine }),
    tcpFingerprints: new TcpFingerprintsRepository(db, { engine: handle.engine }),
    audit: new AuditRepository(db, options),
    apiKeys: new ApiKeysRepository(db, options),
    campaigns: new CampaignsRepository(db, options),
    alerts: new AlertsRepository(db, options),
    alertSources: new AlertSourcesRepository(db),
    swarmHosts: new SwarmHostsRepository(db, options),
    swarmEvents: new SwarmEventsRepository(db, options),
  };
}
