/**
 * The event bus: best-effort notification between workers (the database
 * stays the source of truth). {@linkcode openBus} picks the in-process
 * {@linkcode MemoryBus} (crosses Deno Worker boundaries through a
 * BroadcastChannel) or {@linkcode NatsBus} when `DECNET_BUS_URL` is set.
 * Topic builders and payload shapes for every family live in `topics.ts`.
 *
 * @example
 * ```ts
 * import type { Config } from "../config/config.ts";
 * import type { CanaryTokenRow } from "../db/repositories/canary_repository.ts";
 * import { canaryTopic, openBus, TOPIC_PATTERNS } from "./mod.ts";
 * declare const config: Config;
 * declare const token: CanaryTokenRow;
 * await using bus = openBus({ busUrl: config.busUrl, name: "api" });
 * using sub = bus.subscribe(TOPIC_PATTERNS.canaryPlaced, ({ payload }) => console.info(payload));
 * const at = new Date().toISOString();
 * bus.publish(canaryTopic(token.uuid, "placed"), { token_uuid: token.uuid, event: "placed", at });
 * ```
 *
 * @module
 */
export { DEFAULT_QUEUE_SIZE } from "./base.ts";
export type {
  Bus,
  BusHandler,
  BusLink,
  BusMessage,
  BusPayload,
  BusStats,
  JsonValue,
  SubscribeOptions,
  Subscription,
  SubscriptionStats,
} from "./base.ts";
export { DEFAULT_BUS_CHANNEL, MemoryBus } from "./memory_bus.ts";
export type { MemoryBusOptions } from "./memory_bus.ts";
export { DEFAULT_RECONNECT_WAIT_MS, NatsBus } from "./nats_bus.ts";
export type { NatsBusOptions } from "./nats_bus.ts";
export { openBus } from "./factory.ts";
export { patternProblem, patternsOverlap, topicMatches } from "./_topic_syntax.ts";
export type { OpenBusOptions } from "./factory.ts";
export {
  ATTACKER_EVENTS,
  attackerTopic,
  auditTopic,
  BUS_WORKERS,
  CAMPAIGN_EVENTS,
  campaignTopic,
  CANARY_EVENTS,
  canaryTopic,
  controlTopic,
  deckyStateTopic,
  decodeTopicToken,
  encodeTopicToken,
  healthTopic,
  IDENTITY_EVENTS,
  identityTopic,
  ORCHESTRATOR_KINDS,
  orchestratorTopic,
  parseTopic,
  serviceEventTopic,
  TOPIC_PATTERNS,
} from "./topics.ts";
export type {
  AttackerEvent,
  AttackerPayload,
  AuditPayload,
  CampaignEvent,
  CampaignMergePayload,
  CampaignPayload,
  CanaryEvent,
  CanaryEventPayload,
  CanaryTokenEventPayload,
  CanaryTriggeredPayload,
  ControlPayload,
  CredentialPayload,
  DeckyStatePayload,
  HealthPayload,
  IdentityAssignedPayload,
  IdentityEvent,
  IdentityPayload,
  OrchestratorEventPayload,
  OrchestratorKind,
  ParsedTopic,
  ServiceEventPayload,
  TcpFingerprintPayload,
} from "./topics.ts";
