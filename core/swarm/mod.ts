/**
 * Swarm: one master, agents on many hosts, over NATS with decentralized JWT
 * authentication. The master holds the trust chain (operator, system and
 * `decnet` accounts, signing keys) under `<home>/swarm/`, renders
 * nats-server's configuration, enrolls agents with one-time join tokens and
 * revokes them by pushing a re-signed account JWT to the running server.
 * Each agent holds only its own user credentials, limited to its own subjects.
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
} from "./swarm_subjects.ts";
export type { AgentSubjects } from "./swarm_subjects.ts";
