import type { JsonValue } from "../bus/mod.ts";

/** An event an agent sends to the master through JetStream. */
export interface AgentEvent {
  /** Unique per event, chosen by the agent (a UUID): the master stores each id once. */
  id: string;
  /** Subject-safe kind: lowercase letters, digits, underscores (e.g. `service_event`). */
  kind: string;
  /** ISO 8601 time it happened on the agent. */
  at: string;
  fields: { [key: string]: JsonValue };
}

const ID_REGEXP = /^[A-Za-z0-9_-]{1,64}$/;
const KIND_REGEXP = /^[a-z0-9_]{1,64}$/;

/**
 * Reads an agent event from its wire form (`{id, kind, at, fields}`), as the
 * master receives it: anything else is refused, not stored.
 *
 * @throws {TypeError} naming the bad field
 * @example
 * ```ts
 * import { parseAgentEvent } from "./agent_event.ts";
 * parseAgentEvent({ id: "e1", kind: "test", at: "2026-12-01T10:00:00.000Z", fields: {} });
 * ```
 */
export function parseAgentEvent(value: unknown): AgentEvent {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new TypeError("Bad agent event: expected a JSON object");
  }
  const { id, kind, at, fields } = value as Record<string, unknown>;
  if (typeof id !== "string" || !ID_REGEXP.test(id)) {
    throw new TypeError("Bad agent event: id must be 1-64 letters, digits, - or _");
  }
  if (typeof kind !== "string" || !KIND_REGEXP.test(kind)) {
    throw new TypeError("Bad agent event: kind must be 1-64 lowercase letters, digits or _");
  }
  if (typeof at !== "string" || Number.isNaN(Date.parse(at))) {
    throw new TypeError("Bad agent event: at must be an ISO 8601 time");
  }
  if (fields === null || typeof fields !== "object" || Array.isArray(fields)) {
    throw new TypeError("Bad agent event: fields must be a JSON object");
  }
  return { id, kind, at: new Date(at).toISOString(), fields: fields as AgentEvent["fields"] };
}
