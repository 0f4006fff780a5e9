/**
 * Swarm: one master, agents on many hosts, over NATS with decentralized JWT
 * authentication. The master holds the trust chain (operator, system and
 * `decnet` accounts, signing keys) under `<home>/swarm/`, renders
 * nats-server's configuration, enrolls agents with one-time join tokens and
 * revokes them by pushing a re-signed account JWT to the running server.
 * Each agent holds only its own user credentials, limited to its own subjects.
 * The data path: an agent's collector sends each batch of its canary, sensor
 * and sniffer journals to JetStream as one event (a deterministic id, a
 * local cursor moved once acknowledged); the master applies each batch to
 * its database through the same repositories, attributed to the agent.
 *
 * @example
 * ```ts
 * import { agentSubjects, ensureSwarmAuthority, signAuthorityJwts } from "./mod.ts";
 * const { authority } = await ensureSwarmAuthority("/var/lib/decnet");
 * const jwts = await signAuthorityJwts(authority);
 * agentSubjects("dmz-1").publish; // "decnet.agent.dmz-1.>"
 * ```
 *
 * @module
 */
export { parseAgentEvent } from "./agent_event.ts";
export type { AgentEvent } from "./agent_event.ts";
export { AgentEventConsumer } from "./agent_event_consumer.ts";
export type { AgentEventConsumerOptions } from "./agent_event_consumer.ts";
export { agentBatchId } from "./agent_batch_id.ts";
export { AgentBatchOutbox } from "./agent_batch_outbox.ts";
export type { AgentBatch, AgentBatchOutboxOptions } from "./agent_batch_outbox.ts";
export { AgentCursorFile } from "./agent_cursor_file.ts";
export type { AgentCursorState } from "./agent_cursor_file.ts";
export { AgentActiveTokens } from "./agent_active_tokens.ts";
export type { AgentActiveTokensOptions } from "./agent_active_tokens.ts";
export { parseActiveTokensReply } from "./active_tokens_reply.ts";
export { serveActiveTokens } from "./serve_active_tokens.ts";
export type { ActiveTokensServer } from "./serve_active_tokens.ts";
export { AgentCanaryJournals, CANARY_BATCH_KIND } from "./agent_canary_journals.ts";
export { AgentSensorLogs, SENSOR_BATCH_KIND } from "./agent_sensor_logs.ts";
export { AgentSnifferBatches, SNIFFER_BATCH_KIND } from "./agent_sniffer_batches.ts";
export type { SnifferBatchRecord } from "./agent_sniffer_batches.ts";
export { applyAgentEvent } from "./apply_agent_event.ts";
export type { AppliedStanding, ApplyAgentEventDeps } from "./apply_agent_event.ts";
export { batchStanding, compareJournalPositions, compareLogPositions } from "./batch_standing.ts";
export type { BatchStanding } from "./batch_standing.ts";
export { handleAgentEventMessage } from "./handle_agent_event_message.ts";
export type {
  AgentEventMessage,
  AgentEventOutcome,
  HandleAgentEventOptions,
} from "./handle_agent_event_message.ts";
export { swarmNatsAddress } from "./swarm_nats_address.ts";
export { connectSwarmNats } from "./connect_swarm_nats.ts";
export { ensureAgentEventStream } from "./ensure_agent_event_stream.ts";
export { publishAgentEvent } from "./publish_agent_event.ts";
export type { AgentEventAck } from "./publish_agent_event.ts";
export { recordSwarmHeartbeats } from "./record_swarm_heartbeats.ts";
export type { SwarmHeartbeatRecorder } from "./record_swarm_heartbeats.ts";
export { DEFAULT_HEARTBEAT_MS, startAgentHeartbeat } from "./start_agent_heartbeat.ts";
export type { ConnectSwarmNatsOptions } from "./connect_swarm_nats.ts";
export {
  DEFAULT_JOIN_TTL_SECONDS,
  enrollSwarmHost,
  MAX_JOIN_TTL_SECONDS,
  SwarmEnrollError,
} from "./enroll_swarm_host.ts";
export type { EnrollSwarmHostOptions } from "./enroll_swarm_host.ts";
export { ensureSwarmAuthority, readSwarmIssuer } from "./ensure_swarm_authority.ts";
export { JOIN_PATH, joinSwarm, parseMasterUrl } from "./join_swarm.ts";
export type { JoinedSwarm, JoinSwarmOptions } from "./join_swarm.ts";
export { hashJoinSecret, mintJoinToken, parseJoinToken } from "./join_token.ts";
export type { JoinToken } from "./join_token.ts";
export { pushAccountJwt } from "./push_account_jwt.ts";
export type { PushAccountJwtOptions } from "./push_account_jwt.ts";
export { JoinRefusedError, redeemJoinToken } from "./redeem_join_token.ts";
export type { JoinRequest } from "./redeem_join_token.ts";
export { renderNatsConfig } from "./render_nats_config.ts";
export type { RenderNatsConfigOptions } from "./render_nats_config.ts";
export { removeHostFleet } from "./remove_host_fleet.ts";
export type { RemoveHostFleetDeps } from "./remove_host_fleet.ts";
export { revokeSwarmHost } from "./revoke_swarm_host.ts";
export type { RevokeSwarmHostOptions, RevokeSwarmHostResult } from "./revoke_swarm_host.ts";
export { parseUserPublicKey, signAgentUser } from "./sign_agent_user.ts";
export { ACCOUNT_NAME, OPERATOR_NAME, signAuthorityJwts } from "./sign_authority_jwts.ts";
export type { AuthorityJwts, SignAuthorityOptions } from "./sign_authority_jwts.ts";
export {
  createSwarmAuthority,
  parseSwarmAuthority,
  publicKeyOf,
  swarmIssuerOf,
} from "./swarm_authority.ts";
export type { SwarmAuthority, SwarmIssuer } from "./swarm_authority.ts";
export { swarmFiles } from "./swarm_files.ts";
export { readMasterCreds, writeMasterCreds } from "./master_creds_file.ts";
export type { SwarmFiles } from "./swarm_files.ts";
export { parseSwarmHostName, SWARM_HOST_NAME_REGEXP } from "./swarm_host_name.ts";
export { swarmHostView } from "./swarm_host_view.ts";
export type { SwarmHostState, SwarmHostView } from "./swarm_host_view.ts";
export { parseSwarmNatsUrl } from "./swarm_nats_url.ts";
export {
  AGENT_EVENT_STREAM,
  AGENT_EVENT_SUBJECTS,
  AGENT_SUBJECT_ROOT,
  agentSubjects,
  COMMAND_SUBJECT_ROOT,
  HEARTBEAT_SUBJECTS,
  INBOX_ROOT,
  MASTER_EVENT_CONSUMER,
  TOKEN_REQUEST_SUBJECTS,
} from "./swarm_subjects.ts";
export type { AgentSubjects } from "./swarm_subjects.ts";
export { decodeBase64, encodeBase64 } from "./base64.ts";
export {
  isSwarmCommandVerb,
  parseSwarmCommand,
  parseSwarmCommandReply,
  SWARM_COMMAND_VERBS,
} from "./swarm_command.ts";
export type {
  SwarmCommand,
  SwarmCommandArgs,
  SwarmCommandReply,
  SwarmCommandVerb,
} from "./swarm_command.ts";
export { DEFAULT_COMMAND_TIMEOUT_MS, requestAgentCommand } from "./request_agent_command.ts";
export type { RequestAgentCommandOptions } from "./request_agent_command.ts";
export { SwarmCommandError } from "./swarm_command_error.ts";
export type { SwarmCommandFailure } from "./swarm_command_error.ts";
export { serveAgentCommands } from "./serve_agent_commands.ts";
export type { AgentCommandHandlers, AgentCommandServer } from "./serve_agent_commands.ts";
export { DEFAULT_AGENT_DEPLOY_TIMEOUT_MS, deployOnAgents } from "./deploy_on_agents.ts";
export type { AgentDeployResult } from "./deploy_on_agents.ts";
export { isSwarmHostOnline } from "./swarm_host_online.ts";
export { readAgentSwarm } from "./read_agent_swarm.ts";
export { requireAgentSwarm } from "./require_agent_swarm.ts";
export { SwarmNotJoinedError } from "./swarm_not_joined_error.ts";
export type { AgentSwarm } from "./read_agent_swarm.ts";
