/**
 * Every topic family on the bus, in one place: builders for concrete
 * topics, subscription patterns, a parser, and the payload shapes.
 *
 * Tokens never contain dots: values that could (host ids, decky names,
 * tokens) are escaped with {@linkcode encodeTopicToken}, which keeps
 * `[A-Za-z0-9_-]` and writes every other byte as `%XX`. The decky token is
 * `<host>:<name>`, one token whose colon separates the two escaped parts.
 */
import type { AttackerRollup, TriggerView } from "../db/mod.ts";
import type { TcpFingerprint, TcpStackSnapshot } from "../sniffer/mod.ts";
import type { BusPayload, JsonValue } from "./base.ts";
import { type AuditAction, isAuditAction } from "../audit/audit_actions.ts";

/** Workers that publish health and obey control messages. */
export const BUS_WORKERS = [
  "api",
  "canary",
  "collector",
  "orchestrator",
  "reconciler",
  "clusterer",
  "alerts",
] as const;

/** Events in a canary token's life. */
export const CANARY_EVENTS = ["placed", "triggered", "revoked"] as const;
export type CanaryEvent = typeof CANARY_EVENTS[number];

/** Kinds of realism action the orchestrator reports. */
export const ORCHESTRATOR_KINDS = ["traffic", "file", "email"] as const;
export type OrchestratorKind = typeof ORCHESTRATOR_KINDS[number];

/** Subscription patterns for whole families. */
export const TOPIC_PATTERNS = Object.freeze({
  everything: ">",
  health: "system.*.health",
  control: "system.*.control",
  canary: "canary.>",
  canaryPlaced: "canary.*.placed",
  canaryTriggered: "canary.*.triggered",
  canaryRevoked: "canary.*.revoked",
  orchestrator: "orchestrator.>",
  deckyState: "decky.*.state",
  attacker: "attacker.>",
  serviceEvent: "service.*.*.event",
  audit: "audit.>",
  identity: "identity.>",
  campaign: "campaign.>",
});

/** Events in an identity's life (the issue's `identity.formed` and `identity.campaign.assigned`). */
export const IDENTITY_EVENTS = ["formed", "campaign_assigned"] as const;
export type IdentityEvent = typeof IDENTITY_EVENTS[number];

/** Events in a campaign's life. */
export const CAMPAIGN_EVENTS = ["formed", "merged", "unmerged"] as const;
export type CampaignEvent = typeof CAMPAIGN_EVENTS[number];

/** Events in an attacker record's life. */
export const ATTACKER_EVENTS = ["observed", "credential", "tcp_fingerprint"] as const;
export type AttackerEvent = typeof ATTACKER_EVENTS[number];

const SAFE_BYTE_REGEXP = /^[A-Za-z0-9_-]$/;
const encoder = new TextEncoder();

/**
 * Escapes any string into one topic token: `[A-Za-z0-9_-]` stay, every
 * other UTF-8 byte becomes `%XX` (so `.`, `*`, `>`, `:` and spaces never appear raw).
 *
 * @throws {TypeError} when `value` is empty
 * @example
 * ```ts
 * encodeTopicToken("host.a"); // "host%2Ea"
 * ```
 */
export function encodeTopicToken(value: string): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new TypeError(`Cannot build topic token: expected a non-empty string, got "${value}"`);
  }
  let out = "";
  for (const char of value) {
    if (SAFE_BYTE_REGEXP.test(char)) {
      out += char;
      continue;
    }
    for (const byte of encoder.encode(char)) {
      out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    }
  }
  return out;
}

/**
 * Reverses {@linkcode encodeTopicToken}.
 *
 * @throws {SyntaxError} when the token holds a broken escape
 */
export function decodeTopicToken(token: string): string {
  try {
    return decodeURIComponent(token);
  } catch (e) {
    throw new SyntaxError(`Cannot decode topic token: bad escape, got "${token}"`, { cause: e });
  }
}

function workerToken(worker: string): string {
  return encodeTopicToken(worker);
}

/** `system.<worker>.health`. */
export function healthTopic(worker: string): string {
  return `system.${workerToken(worker)}.health`;
}

/** `system.<worker>.control`. */
export function controlTopic(worker: string): string {
  return `system.${workerToken(worker)}.control`;
}

/**
 * `canary.<token>.<event>`.
 *
 * @example
 * ```ts
 * canaryTopic("8f14e45f", "triggered"); // "canary.8f14e45f.triggered"
 * ```
 */
export function canaryTopic(token: string, event: CanaryEvent): string {
  if (!CANARY_EVENTS.includes(event)) {
    throw new TypeError(
      `Cannot build canary topic: expected ${CANARY_EVENTS.join(", ")}, got "${event}"`,
    );
  }
  return `canary.${encodeTopicToken(token)}.${event}`;
}

/** `orchestrator.<kind>.<decky>`. */
export function orchestratorTopic(kind: OrchestratorKind, decky: string): string {
  if (!ORCHESTRATOR_KINDS.includes(kind)) {
    throw new TypeError(
      `Cannot build orchestrator topic: expected ${ORCHESTRATOR_KINDS.join(", ")}, got "${kind}"`,
    );
  }
  return `orchestrator.${kind}.${encodeTopicToken(decky)}`;
}

/**
 * `decky.<host>:<name>.state`, the host and name escaped separately.
 *
 * @example
 * ```ts
 * deckyStateTopic("local", "web-01"); // "decky.local:web-01.state"
 * ```
 */
export function deckyStateTopic(host: string, name: string): string {
  return `decky.${encodeTopicToken(host)}:${encodeTopicToken(name)}.state`;
}

/**
 * `attacker.<id>.<event>`.
 *
 * @example
 * ```ts
 * attackerTopic(7, "observed"); // "attacker.7.observed"
 * ```
 */
export function attackerTopic(id: number, event: AttackerEvent): string {
  if (!ATTACKER_EVENTS.includes(event)) {
    throw new TypeError(
      `Cannot build attacker topic: expected ${ATTACKER_EVENTS.join(", ")}, got "${event}"`,
    );
  }
  return `attacker.${encodeTopicToken(String(id))}.${event}`;
}

/**
 * `identity.<id>.<event>`.
 *
 * @example
 * ```ts
 * identityTopic(3, "campaign_assigned"); // "identity.3.campaign_assigned"
 * ```
 */
export function identityTopic(id: number, event: IdentityEvent): string {
  if (!IDENTITY_EVENTS.includes(event)) {
    throw new TypeError(
      `Cannot build identity topic: expected ${IDENTITY_EVENTS.join(", ")}, got "${event}"`,
    );
  }
  return `identity.${encodeTopicToken(String(id))}.${event}`;
}

/**
 * `campaign.<id>.<event>`.
 *
 * @example
 * ```ts
 * campaignTopic("c1", "merged"); // "campaign.c1.merged"
 * ```
 */
export function campaignTopic(id: string, event: CampaignEvent): string {
  if (!CAMPAIGN_EVENTS.includes(event)) {
    throw new TypeError(
      `Cannot build campaign topic: expected ${CAMPAIGN_EVENTS.join(", ")}, got "${event}"`,
    );
  }
  return `campaign.${encodeTopicToken(id)}.${event}`;
}

/**
 * `service.<decky>.<service>.event`: one stored sensor event.
 *
 * @example
 * ```ts
 * serviceEventTopic("web-01", "ssh"); // "service.web-01.ssh.event"
 * ```
 */
export function serviceEventTopic(decky: string, service: string): string {
  return `service.${encodeTopicToken(decky)}.${encodeTopicToken(service)}.event`;
}

/**
 * `audit.<action>`: one stored audit entry (the action is `<thing>.<what>`,
 * so the topic has three tokens).
 *
 * @throws {TypeError} when `action` is not one of core/audit's AUDIT_ACTIONS
 * @example
 * ```ts
 * auditTopic("user.added"); // "audit.user.added"
 * ```
 */
export function auditTopic(action: AuditAction): string {
  if (!isAuditAction(action)) {
    throw new TypeError(`Cannot build audit topic: unknown action "${action}"`);
  }
  return `audit.${action}`;
}

/** A topic taken apart by {@linkcode parseTopic}. */
export type ParsedTopic =
  | { family: "health"; worker: string }
  | { family: "control"; worker: string }
  | { family: "canary"; token: string; event: CanaryEvent }
  | { family: "orchestrator"; kind: OrchestratorKind; decky: string }
  | { family: "decky_state"; host: string; name: string }
  | { family: "attacker"; id: number; event: AttackerEvent }
  | { family: "service_event"; decky: string; service: string }
  | { family: "audit"; action: AuditAction }
  | { family: "identity"; id: number; event: IdentityEvent }
  | { family: "campaign"; id: string; event: CampaignEvent };

/**
 * Recognises a topic of one of the families above and decodes its values;
 * undefined for anything else.
 */
export function parseTopic(topic: string): ParsedTopic | undefined {
  const t = topic.split(".");
  if (t.length === 4 && t[0] === "service" && t[3] === "event") {
    try {
      return {
        family: "service_event",
        decky: decodeTopicToken(t[1]),
        service: decodeTopicToken(t[2]),
      };
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
      return undefined;
    }
  }
  if (t.length !== 3) return undefined;
  const action = `${t[1]}.${t[2]}`;
  if (t[0] === "audit" && isAuditAction(action)) return { family: "audit", action };
  try {
    if (t[0] === "attacker" && (ATTACKER_EVENTS as readonly string[]).includes(t[2])) {
      const id = Number(decodeTopicToken(t[1]));
      if (!Number.isSafeInteger(id) || id <= 0) return undefined;
      return { family: "attacker", id, event: t[2] as AttackerEvent };
    }
    if (t[0] === "identity" && (IDENTITY_EVENTS as readonly string[]).includes(t[2])) {
      const id = Number(decodeTopicToken(t[1]));
      if (!Number.isSafeInteger(id) || id <= 0) return undefined;
      return { family: "identity", id, event: t[2] as IdentityEvent };
    }
    if (t[0] === "campaign" && (CAMPAIGN_EVENTS as readonly string[]).includes(t[2])) {
      return { family: "campaign", id: decodeTopicToken(t[1]), event: t[2] as CampaignEvent };
    }
    if (t[0] === "system" && t[2] === "health") {
      return { family: "health", worker: decodeTopicToken(t[1]) };
    }
    if (t[0] === "system" && t[2] === "control") {
      return { family: "control", worker: decodeTopicToken(t[1]) };
    }
    if (t[0] === "canary" && (CANARY_EVENTS as readonly string[]).includes(t[2])) {
      return { family: "canary", token: decodeTopicToken(t[1]), event: t[2] as CanaryEvent };
    }
    if (t[0] === "orchestrator" && (ORCHESTRATOR_KINDS as readonly string[]).includes(t[1])) {
      return {
        family: "orchestrator",
        kind: t[1] as OrchestratorKind,
        decky: decodeTopicToken(t[2]),
      };
    }
    if (t[0] === "decky" && t[2] === "state") {
      const parts = t[1].split(":");
      if (parts.length !== 2) return undefined;
      return {
        family: "decky_state",
        host: decodeTopicToken(parts[0]),
        name: decodeTopicToken(parts[1]),
      };
    }
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
  }
  return undefined;
}

/** `system.<worker>.health`, every 30 s. Times are ISO 8601. */
export type HealthPayload = {
  worker: string;
  status: "ok" | "degraded" | "failing";
  /** running, restarting (after a crash), stopping or stopped. */
  state: string;
  at: string;
  uptime_seconds: number;
  /** Restarts of this worker since `decnet up` started. */
  restarts: number;
  /** Why it last crashed (kept while it restarts and after), or null. */
  last_error?: string | null;
  /** Free-form details (bus counters, last error). */
  details?: { [key: string]: JsonValue };
};

/** `system.<worker>.control`. */
export type ControlPayload = {
  /**
   * stop: the worker stops gracefully; start: the supervisor starts it again;
   * report: the worker publishes its health now (for a listener that just started).
   */
  action: "stop" | "start" | "report";
  at: string;
  reason?: string;
};

/** `canary.<token>.placed` and `canary.<token>.revoked`. */
export type CanaryTokenEventPayload = {
  token_uuid: string;
  event: "placed" | "revoked";
  at: string;
  kind?: string;
  decky?: string;
};

/**
 * `canary.<token>.triggered`, published once a trigger (or a rollup row
 * created or grown) is stored: the row as the API lists it, plus `event`.
 */
export type CanaryTriggeredPayload = TriggerView & { event: "triggered" };

/** `canary.<token>.placed|triggered|revoked`. */
export type CanaryEventPayload = CanaryTokenEventPayload | CanaryTriggeredPayload;

/** `orchestrator.<kind>.<decky>`. */
export type OrchestratorEventPayload = {
  decky: string;
  kind: OrchestratorKind;
  action: string;
  at: string;
  ok: boolean;
  detail?: string;
};

/** `decky.<host:name>.state`, on transitions only. */
export type DeckyStatePayload = {
  host_uuid: string;
  decky: string;
  from: string | null;
  to: string;
  at: string;
};

/**
 * `service.<decky>.<service>.event`: one stored sensor event, exactly as
 * `GET /api/v1/logs` lists it. Everything in it came from an attacker: show
 * it as text.
 */
export type ServiceEventPayload = {
  id: number;
  time: string;
  decky: string;
  service: string;
  kind: string;
  src_ip: string;
  src_port: number;
  dst_port: number;
  session: string;
  username: string | null;
  /** The command or request line (what log search matches). */
  text: string | null;
  /** The event's kind-specific fields. */
  detail: { [key: string]: JsonValue };
  /** The fleet's own or an operator-listed source: never an attacker. */
  benign: boolean;
};

/**
 * `attacker.<id>.observed`: an attacker record after new events, exactly as
 * `GET /api/v1/attackers` lists it.
 */
export type AttackerPayload = {
  id: number;
  ip: string;
  first_seen: string;
  last_seen: string;
  event_count: number;
  credential_count: number;
  command_count: number;
  /** Its TCP stack as the sniffer saw it; null before any SYN was fingerprinted. */
  tcp_fingerprint: TcpStackSnapshot | null;
} & AttackerRollup;

/**
 * `attacker.<id>.tcp_fingerprint`: a stored fingerprint event (a change of
 * the source's TCP stack key), with the attacker it joined.
 */
export type TcpFingerprintPayload = TcpFingerprint & { attacker_id: number };

/**
 * `attacker.<id>.credential`: a credential tried for the first time. The
 * secret itself stays out (viewers read the bus through the live feed).
 */
export type CredentialPayload = {
  id: number;
  attacker_id: number;
  service: string;
  username: string;
  secret_kind: string;
  domain: string | null;
  hashcat_mode: number | null;
  first_seen: string;
  src_ip: string;
};

/**
 * `audit.<action>`: one operator action, exactly as `GET /api/v1/audit`
 * lists it. It never holds a password or key.
 */
export type AuditPayload = {
  id: number;
  occurred_at: string;
  /** The user name, or `cli`. */
  actor: string;
  actor_kind: "user" | "cli";
  os_user: string | null;
  client_ip: string | null;
  action: string;
  target: string | null;
  outcome: "success" | "failure";
  detail: { [key: string]: JsonValue };
};

/**
 * An identity as `GET /api/v1/identities` lists it; `identity.<id>.formed`
 * carries it. `campaign_id` is its own link (a merge does not move it).
 */
export type IdentityPayload = {
  id: number;
  key: string;
  first_seen: string;
  last_seen: string;
  address_count: number;
  /** Distinct values per kind: ja3, hassh, tools, asns, c2, payload_hashes, phases, deckies. */
  fingerprints: { [kind: string]: string[] };
  campaign_id: string | null;
  /** An admin placed it in its campaign (a split): reclustering leaves it there. */
  pinned: boolean;
  notes: string;
};

/** `identity.<id>.campaign_assigned`: its campaign link changed. */
export type IdentityAssignedPayload = {
  identity_id: number;
  campaign_id: string;
  previous_campaign_id: string | null;
  at: string;
};

/** A campaign as `GET /api/v1/campaigns` lists it; `campaign.<id>.formed` carries it. */
export type CampaignPayload = {
  id: string;
  first_seen: string;
  last_seen: string;
  identity_count: number;
  address_count: number;
  fingerprints: { [kind: string]: string[] };
  /** 0-1: the weakest edge holding it together (1 for one identity or a manual campaign). */
  confidence: number;
  /** The campaign it is merged into, or null. */
  merged_into: string | null;
  /** An admin merged it. */
  merge_manual: boolean;
  /** An admin made it by a split. */
  manual: boolean;
  notes: string;
};

/** `campaign.<id>.merged` and `campaign.<id>.unmerged`. */
export type CampaignMergePayload = {
  campaign_id: string;
  /** merged: the winner; unmerged: the campaign it left. */
  other_id: string;
  event: "merged" | "unmerged";
  /** An admin's doing (else the clusterer's). */
  manual: boolean;
  at: string;
};

// Compile-time check that every payload type is a BusPayload.
type _AssertPayloads = [
  HealthPayload,
  ControlPayload,
  CanaryTokenEventPayload,
  CanaryTriggeredPayload,
  OrchestratorEventPayload,
  DeckyStatePayload,
  ServiceEventPayload,
  AttackerPayload,
  CredentialPayload,
  TcpFingerprintPayload,
  AuditPayload,
  IdentityPayload,
  IdentityAssignedPayload,
  CampaignPayload,
  CampaignMergePayload,
] extends BusPayload[] ? true : never;
const _payloadsAreJsonSafe: _AssertPayloads = true;
void _payloadsAreJsonSafe;
