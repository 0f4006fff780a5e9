import type { NatsConnection } from "@nats-io/transport-node";
import { parseAgentEvent } from "./agent_event.ts";
import type { AgentEvent } from "./agent_event.ts";
import { agentSubjects } from "./swarm_subjects.ts";

/** JetStream's answer to a publish. */
export interface AgentEventAck {
  stream: string;
  seq: number;
  /** True when JetStream already held this id (a retried publish): nothing was added. */
  duplicate: boolean;
}

/**
 * Publishes one event of agent `name` to JetStream and waits for the
 * stream's acknowledgement, the event's id as `Nats-Msg-Id` so a retried
 * publish is stored once. Uses a plain request: an agent's credentials
 * allow no JetStream API call, only publishing under its own subjects.
 *
 * @throws {TypeError} for a malformed event; {Error} when JetStream refuses or does not answer in time
 * @example
 * ```ts
 * import type { NatsConnection } from "@nats-io/transport-node";
 * import { publishAgentEvent } from "./publish_agent_event.ts";
 * declare const nc: NatsConnection;
 * await publishAgentEvent(nc, "dmz-1", { id: crypto.randomUUID(), kind: "test", at: new Date().toISOString(), fields: {} });
 * ```
 */
export async function publishAgentEvent(
  nc: NatsConnection,
  name: string,
  event: AgentEvent,
  options: { timeoutMs?: number } = {},
): Promise<AgentEventAck> {
  const checked = parseAgentEvent(event);
  const { headers } = await import("@nats-io/transport-node");
  const h = headers();
  h.set("Nats-Msg-Id", checked.id);
  const reply = await nc.request(
    `${agentSubjects(name).events}.${checked.kind}`,
    JSON.stringify(checked),
    { headers: h, timeout: options.timeoutMs ?? 5000 },
  );
  const ack = reply.json<
    { stream?: string; seq?: number; duplicate?: boolean; error?: { description?: string } }
  >();
  if (ack.error || typeof ack.seq !== "number" || typeof ack.stream !== "string") {
    throw new Error(
      `JetStream refused event ${checked.id}: ${ack.error?.description ?? reply.string()}`,
    );
  }
  return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate === true };
}
