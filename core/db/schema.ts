import type { Generated } from "kysely";

/**
 * Every table decnet stores, typed once. Times are ISO 8601 strings in UTC
 * (`2026-11-18T14:00:00.000Z`) so they sort and compare the same on SQLite
 * and MySQL; JSON columns hold text and are parsed by their repository.
 */
export interface Database {
  users: UsersTable;
  revoked_tokens: RevokedTokensTable;
  settings: SettingsTable;
  fleet_deckies: FleetDeckiesTable;
  decky_shards: DeckyShardsTable;
  synthetic_files: SyntheticFilesTable;
  orchestrator_events: OrchestratorEventsTable;
  orchestrator_emails: OrchestratorEmailsTable;
  canary_blobs: CanaryBlobsTable;
  canary_tokens: CanaryTokensTable;
  canary_triggers: CanaryTriggersTable;
  canary_journal_cursors: CanaryJournalCursorsTable;
  service_events: ServiceEventsTable;
  sensor_log_cursors: SensorLogCursorsTable;
  attackers: AttackersTable;
  attacker_services: AttackerServicesTable;
  credentials: CredentialsTable;
  tcp_fingerprints: TcpFingerprintsTable;
  audit_log: AuditLogTable;
  api_keys: ApiKeysTable;
  identities: IdentitiesTable;
  identity_members: IdentityMembersTable;
  campaigns: CampaignsTable;
  campaign_actions: CampaignActionsTable;
  alert_channels: AlertChannelsTable;
  alert_rules: AlertRulesTable;
  alert_outbox: AlertOutboxTable;
  alert_throttle: AlertThrottleTable;
  alert_cursors: AlertCursorsTable;
  domain_events: DomainEventsTable;
  swarm_hosts: SwarmHostsTable;
  swarm_events: SwarmEventsTable;
}

export interface UsersTable {
  uuid: string;
  username: string;
  password_hash: string;
  role: "admin" | "viewer";
  created_at: string;
  updated_at: string;
  /** Tokens issued before this instant are refused (password change). */
  password_changed_at: string;
}

export interface RevokedTokensTable {
  jti: string;
  expires_at: string;
}

export interface SettingsTable {
  key: string;
  /** JSON text. */
  value: string;
  updated_at: string;
}

export interface FleetDeckiesTable {
  host_uuid: string;
  name: string;
  uuid: string;
  ip: string | null;
  /** JSON array of service names. */
  services: string;
  /** JSON object service -> image. */
  images: string;
  network: string | null;
  network_driver: string | null;
  os_persona: string;
  state: string;
  state_since: string;
  created_at: string;
  updated_at: string;
}

export interface DeckyShardsTable {
  uuid: string;
  host_uuid: string;
  name: string;
  ip: string | null;
  services: string;
  state: string;
  created_at: string;
  updated_at: string;
}

export interface SyntheticFilesTable {
  id: Generated<number>;
  decky_uuid: string;
  path: string;
  persona: string;
  content_class: string;
  created_at: string;
  last_modified: string;
  edit_count: number;
  content_hash: string;
  last_body: string;
}

export interface OrchestratorEventsTable {
  id: Generated<number>;
  ts: string;
  kind: "traffic" | "file" | "email";
  src_decky_uuid: string | null;
  src_decky_name: string | null;
  dst_decky_uuid: string | null;
  dst_decky_name: string | null;
  /** 1 success, 0 failure. */
  success: number;
  /** JSON object with the driver's details. */
  payload: string;
  error: string | null;
}

export interface OrchestratorEmailsTable {
  id: Generated<number>;
  ts: string;
  mail_decky_uuid: string;
  mail_decky_name: string;
  thread_id: string;
  message_id: string;
  in_reply_to: string | null;
  /** Space-separated Message-IDs, oldest first. */
  references_chain: string;
  sender: string;
  recipient: string;
  subject: string;
  language: string;
  body: string;
  path: string;
  success: number;
  error: string | null;
}

export interface CanaryBlobsTable {
  uuid: string;
  sha256: string;
  filename: string;
  mime: string;
  size: number;
  created_at: string;
}

export interface CanaryTokensTable {
  uuid: string;
  /** The slug: 22 URL-safe characters, as minted. */
  callback_token: string;
  /** Lower-cased slug, for DNS lookups that ignore letter case. */
  callback_token_lc: string;
  kind: "http" | "dns" | "aws_passive";
  generator: string | null;
  blob_uuid: string | null;
  content_class: string | null;
  decky_name: string | null;
  decky_uuid: string | null;
  placement_path: string | null;
  persona: string | null;
  http_base: string;
  dns_zone: string;
  state: "issued" | "planted" | "failed" | "revoked";
  /** Every hit, rolled up or not. */
  trigger_count: number;
  /** Hits counted in rollup rows only (not stored as a row of their own). */
  suppressed_count: number;
  /** Hits whose rows retention removed (DECNET_CANARY_TRIGGER_RETENTION). */
  pruned_count: number;
  last_triggered_at: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface CanaryTriggersTable {
  id: Generated<number>;
  token_uuid: string;
  occurred_at: string;
  src_ip: string;
  user_agent: string | null;
  method: string | null;
  request_path: string | null;
  dns_qname: string | null;
  dns_client_subnet: string | null;
  /** JSON object of request headers. */
  headers: string;
  /** Hits this row counts: 1, or more for a rollup. */
  hit_count: Generated<number>;
  /** A rollup's last hit (`occurred_at` is its first); null for a single hit. */
  last_at: string | null;
  /**
   * null for a single hit; a rollup of one source repeating one request
   * (`source`), of a source prefix over the token's cap (`prefix`, src_ip
   * holds the CIDR) or of the rest of a flood (`token`, src_ip `*`).
   */
  rollup_scope: "source" | "prefix" | "token" | null;
}

/** How far one canary trigger journal is ingested (see core/journal). */
export interface CanaryJournalCursorsTable {
  journal: string;
  /** Segment number the next record is read from. */
  segment: number;
  /** Bytes of that segment already ingested. */
  byte_offset: number;
  updated_at: string;
}

/** One sensor event (see core/sensor's envelope). */
export interface ServiceEventsTable {
  id: Generated<number>;
  occurred_at: string;
  decky: string;
  service: string;
  kind: string;
  src_ip: string;
  src_port: number;
  dst_port: number;
  session: string;
  username: string | null;
  /** What full-text search looks at: the command, the request line. */
  text: string | null;
  /** JSON object: the event's kind-specific fields. */
  detail: string;
  /** 1 when the source is the fleet's own or on the operator's benign list. */
  benign: number;
}

/** How far one sensor container's log is stored. */
export interface SensorLogCursorsTable {
  container: string;
  decky: string;
  /** Docker's timestamp (RFC 3339, nanoseconds) of the last stored line. */
  log_time: string;
  /** Lines stored that carry exactly `log_time` (Docker may repeat a timestamp). */
  lines_at_time: number;
  /** Lines that were not valid events, counted and skipped. */
  bad_lines: number;
  updated_at: string;
}

/** One attacking address, rolled up incrementally as its events are stored. */
export interface AttackersTable {
  id: Generated<number>;
  ip: string;
  first_seen: string;
  last_seen: string;
  event_count: number;
  credential_count: number;
  command_count: number;
  /** JSON of core/attackers' AttackerRollup (sets and counts by kind). */
  rollup: string;
  /** JSON of core/sniffer's TcpStackSnapshot; null until the sniffer saw a SYN. */
  tcp_fingerprint: string | null;
}

/** One distinct credential tried, with where and how often. */
export interface CredentialsTable {
  id: Generated<number>;
  /** sha256 of service, username, kind and secret: what makes a credential distinct. */
  fingerprint: string;
  service: string;
  username: string;
  secret_kind: string;
  secret: string;
  domain: string | null;
  hashcat_mode: number | null;
  hashcat_line: string | null;
  first_seen: string;
  last_seen: string;
  count: number;
  last_src_ip: string;
}

/** One decky and service an attacker touched. */
export interface AttackerServicesTable {
  attacker_id: number;
  decky: string;
  service: string;
  first_seen: string;
  last_seen: string;
  event_count: number;
  /** The swarm agent whose decky it is; null for this host's own (migration 019). */
  host: string | null;
}

/** One TCP fingerprint event of an attacker: a change of its sniffer dedupe key. */
export interface TcpFingerprintsTable {
  id: Generated<number>;
  attacker_id: number;
  occurred_at: string;
  src_ip: string;
  /** The decky address the SYN went to. */
  decky: string;
  os_guess: string;
  ipid_class: string;
  isn_class: string;
  /** JSON of core/sniffer's TcpFingerprint, as received. */
  event: string;
}

/** One operator action (see core/audit): who, what, when, on what, how it ended. Never a secret. */
export interface AuditLogTable {
  id: Generated<number>;
  occurred_at: string;
  /** The signed-in user's name, or `cli` for a command run on the host. */
  actor: string;
  actor_kind: "user" | "cli";
  /** The operating-system account that ran a CLI command. */
  os_user: string | null;
  /** Where an API request came from. */
  client_ip: string | null;
  /** One of core/audit's AUDIT_ACTIONS, e.g. `user.added`. */
  action: string;
  /** What the action was on: a user name, decky, token or key id. */
  target: string | null;
  outcome: "success" | "failure";
  /** JSON object: the action's details (never a password or key). */
  detail: string;
}

/** A read-only API key for SIEM/SOAR pulls; only its sha256 is stored. */
export interface ApiKeysTable {
  uuid: string;
  name: string;
  /** sha256 (hex) of the whole key, `dk_...`: what a request is looked up by. */
  key_hash: string;
  /** The key's first characters, to tell keys apart in lists. */
  key_prefix: string;
  /** viewer: what a viewer reads; admin-read: what an admin reads (secrets included). */
  role: "viewer" | "admin-read";
  created_by: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}
/** One actor behind one or more attacking addresses, as the clusterer last saw it. */
export interface IdentitiesTable {
  id: Generated<number>;
  /** The clustering's stable key for the identity. */
  key: string;
  first_seen: string;
  last_seen: string;
  address_count: number;
  /** JSON of core/campaigns' FingerprintSets (ja3, hassh, tools, asns, ...). */
  fingerprints: string;
  /** The campaign it was assigned (not followed through merges). */
  campaign_id: string | null;
  /** 1 when an admin placed it in its campaign: reclustering never moves it. */
  pinned: number;
  notes: string;
  created_at: string;
  updated_at: string;
}

/** Which identity an attacker record belongs to. */
export interface IdentityMembersTable {
  attacker_id: number;
  identity_id: number;
  ip: string;
}

/** Identities working together; a merged one points at the winner. */
export interface CampaignsTable {
  id: string;
  first_seen: string;
  last_seen: string;
  identity_count: number;
  address_count: number;
  /** JSON of the members' FingerprintSets. */
  fingerprints: string;
  /** JSON array of the edges that joined its identities. */
  evidence: string;
  /** 0-1: the weakest edge holding it together (1 for one identity). */
  confidence: number;
  merged_into: string | null;
  /** 1 when an admin merged it (reclustering never undoes that). */
  merge_manual: number;
  /** 1 when an admin made it by a split (its identities are pinned). */
  manual: number;
  notes: string;
  created_at: string;
  updated_at: string;
}

/** An admin's manual merge, split or note, as recorded. */
export interface CampaignActionsTable {
  id: Generated<number>;
  at: string;
  actor: string;
  action: "merge" | "split" | "notes";
  campaign_id: string;
  /** JSON object: what the action named (target, identities, ...). */
  detail: string;
}
/** Where alerts go: one configured syslog, SMTP, webhook or file destination. */
export interface AlertChannelsTable {
  id: Generated<number>;
  name: string;
  kind: string;
  /** JSON of core/alerts' channel config (holds secrets: HMAC keys, SMTP passwords). */
  config: string;
  /** 0 once disabled, by an admin or after repeated failures. */
  enabled: number;
  consecutive_failures: number;
  /** Why it was disabled automatically (null when enabled or disabled by hand). */
  disabled_reason: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

/** When an alert fires: events, filters, severity, throttling and channels. */
export interface AlertRulesTable {
  id: Generated<number>;
  name: string;
  /** JSON array of alert event kinds. */
  events: string;
  filter_token: string | null;
  filter_decky: string | null;
  filter_kind: string | null;
  severity: string;
  /** One alert per dedupe key per this many seconds; 0 sends every one. */
  throttle_seconds: number;
  /** Comma list of the fields that make a dedupe key (e.g. "token,source"). */
  dedupe_by: string;
  /** When above 0, one digest per this many seconds instead of single alerts. */
  digest_seconds: number;
  /** JSON array of alert_channels ids. */
  channel_ids: string;
  enabled: number;
  created_at: string;
  updated_at: string;
}

/** One alert still to be (or already) delivered to one channel. */
export interface AlertOutboxTable {
  id: Generated<number>;
  /** The alert's idempotency id (what webhook receivers deduplicate on). */
  alert_id: string;
  channel_id: number;
  /** JSON of the alert. */
  payload: string;
  attempts: number;
  next_attempt_at: string;
  /** pending, delivered or failed (refused for good, e.g. a 4xx). */
  state: string;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

/** Throttle or digest window of one rule and dedupe key. */
export interface AlertThrottleTable {
  rule_id: number;
  dedupe_key: string;
  window_start: string;
  /** When the window closes; null for once-only events (first contact). */
  window_end: string | null;
  /** Repeats held back in this window. */
  suppressed: number;
  /** JSON of the digest collected so far (digest rules only). */
  digest: string | null;
}

/** How far the alerts worker evaluated one stored stream (e.g. canary triggers, by row id). */
export interface AlertCursorsTable {
  stream: string;
  position: number;
  updated_at: string;
}

/** An event no other table records in order (campaign, decky state), kept for the alerts worker. */
export interface DomainEventsTable {
  id: Generated<number>;
  /** One of core/db's DOMAIN_EVENT_KINDS: `decky_state`, `campaign_formed`, `campaign_merged`, `campaign_unmerged`. */
  kind: string;
  /** JSON of the message's payload. */
  payload: string;
  occurred_at: string;
}

/** An agent host enrolled into the swarm (migration 018). */
export interface SwarmHostsTable {
  /** One DNS label: also the host's NATS subject token. */
  name: string;
  /** The agent's NATS user public key (U…), set when it joins. */
  public_key: string | null;
  /** sha256 (hex) of the one-time join token's secret. */
  join_token_hash: string | null;
  join_expires_at: string | null;
  created_at: string;
  /** When the agent redeemed its join token (the token is spent). */
  enrolled_at: string | null;
  last_heartbeat: string | null;
  /** The decnet version the agent last reported. */
  version: string | null;
  revoked_at: string | null;
}

/** An event an agent published to JetStream, stored once by its id (migration 018). */
export interface SwarmEventsTable {
  /** The agent's own id for the event (also its JetStream Nats-Msg-Id). */
  event_id: string;
  host: string;
  kind: string;
  occurred_at: string;
  received_at: string;
  /** JSON object: the event's fields. */
  payload: string;
}
