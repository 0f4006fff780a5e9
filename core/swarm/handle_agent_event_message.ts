import type { SwarmEventsRepository } from "../db/mod.ts";
import type { Logger } from "../log/mod.ts";
import type { AgentEvent } from "./agent_event.ts";
import { parseAgentEvent } from "./agent_event.ts";
import type { AppliedStanding } from "./apply_agent_event.ts";
import { SWARM_HOST_NAME_REGEXP } from "./swarm_host_name.ts";

/** Deliveries of a waiting batch between two warnings (at the default 5 s, every 5 minutes). */
const PENDING_WARN_EVERY = 60;

/** The parts of a JetStream message the master's handling uses. */
export interface AgentEventMessage {
  subject: string;
  /** How often JetStream delivered it so far (1 the first time). */
  info?: { deliveryCount: number };
  json<T>(): T;
  ack(): void;
  nak(delayMs?: number): void;
  term(reason?: string): void;
}

/** Options for {@linkcode handleAgentEventMessage}. */
export interface HandleAgentEventOptions {
  /** Where events of kinds `apply` does not know are kept, by id. */
  events: SwarmEventsRepository;
  /** Applies a known kind to the domain (see `applyAgentEvent`); null for others. */
  apply?(host: string, event: AgentEvent): Promise<AppliedStanding | null>;
  log: Logger;
  /** Wait before a batch that could not be stored yet is delivered again. */
  retryMs: number;
}

/** What became of one message. */
export type AgentEventOutcome =
  /** Stored now (applied, or kept as a raw event): acknowledged. */
  | "stored"
  /** Stored before: acknowledged, nothing added. */
  | "duplicate"
  /** Waits for an earlier batch, or storing failed: delivered again later. */
  | "retry"
  /** Malformed, or cannot ever be applied: logged and terminated. */
  | "dropped";

/**
 * Handles one message of the agents' event stream on the master: reads it,
 * applies it (or keeps it raw), and settles it with JetStream: acknowledged
 * once stored or found stored before; delivered again later when an earlier
 * batch of its journal has not come yet or the database failed; terminated
 * and logged when malformed. Never throws.
 *
 * @example
 * ```ts
 * import type { AgentEventMessage, HandleAgentEventOptions } from "./handle_agent_event_message.ts";
 * import { handleAgentEventMessage } from "./handle_agent_event_message.ts";
 * declare const msg: AgentEventMessage;
 * declare const options: HandleAgentEventOptions;
 * await handleAgentEventMessage(msg, options); // "stored"
 * ```
 */
export async function handleAgentEventMessage(
  msg: AgentEventMessage,
  options: HandleAgentEventOptions,
): Promise<AgentEventOutcome> {
  const { log } = options;
  const host = msg.subject.split(".")[2];
  let event: AgentEvent;
  try {
    if (!SWARM_HOST_NAME_REGEXP.test(host ?? "")) throw new TypeError(`Bad host in ${msg.subject}`);
    event = parseAgentEvent(msg.json());
  } catch (e) {
    return drop(msg, log, { subject: msg.subject, error: (e as Error).message });
  }
  try {
    const standing = await options.apply?.(host, event) ??
      await storeRaw(options.events, host, event);
    switch (standing) {
      case "next":
        msg.ack();
        return "stored";
      case "done":
        msg.ack();
        return "duplicate";
      case "pending": {
        // Said now and then: a batch that never stops waiting means its predecessor is gone
        // (it left the stream unread, or the database was restored from an older backup).
        const deliveries = msg.info?.deliveryCount ?? 1;
        if (deliveries % PENDING_WARN_EVERY === 0) {
          log.warn("swarm batch still waits for an earlier batch of its journal", {
            host,
            id: event.id,
            kind: event.kind,
            deliveries: String(deliveries),
          });
        }
        msg.nak(options.retryMs);
        return "retry";
      }
      case "overlap":
        log.error("swarm batch overlaps what is stored; the agent lost its cursor", {
          host,
          id: event.id,
          kind: event.kind,
        });
        msg.term("overlap");
        return "dropped";
    }
  } catch (e) {
    if (e instanceof TypeError) {
      return drop(msg, log, { host, id: event.id, kind: event.kind, error: e.message });
    }
    log.warn("swarm event not stored, retrying later", {
      host,
      kind: event.kind,
      error: (e as Error).message,
    });
    msg.nak(options.retryMs);
    return "retry";
  }
}

async function storeRaw(
  events: SwarmEventsRepository,
  host: string,
  event: AgentEvent,
): Promise<"next" | "done"> {
  const stored = await events.store([{
    eventId: event.id,
    host,
    kind: event.kind,
    occurredAt: event.at,
    payload: JSON.stringify(event.fields),
  }]);
  return stored > 0 ? "next" : "done";
}

function drop(msg: AgentEventMessage, log: Logger, fields: Record<string, string>): "dropped" {
  log.warn("swarm event dropped", fields);
  msg.term("malformed");
  return "dropped";
}
