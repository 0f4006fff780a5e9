import type { NatsConnection } from "@nats-io/transport-node";
import {
  AGENT_EVENT_STREAM,
  AGENT_EVENT_SUBJECTS,
  MASTER_EVENT_CONSUMER,
} from "./swarm_subjects.ts";

const NS_PER_MS = 1_000_000;
/** How long JetStream remembers event ids to drop a retried publish. */
const DUPLICATE_WINDOW_MS = 10 * 60_000;
/** How long an unacknowledged delivery waits before it is delivered again. */
const ACK_WAIT_MS = 30_000;
/** Events older than this leave the stream, consumed or not. */
const MAX_AGE_MS = 30 * 24 * 3600_000;

/**
 * Creates (or brings up to date) the agents' event stream on file storage
 * and the master's durable, explicitly acknowledged consumer of it, so an
 * event an agent published waits in JetStream while the master is away.
 * Needs the master's credentials (JetStream API rights).
 *
 * @example
 * ```ts
 * import type { NatsConnection } from "@nats-io/transport-node";
 * import { ensureAgentEventStream } from "./ensure_agent_event_stream.ts";
 * declare const nc: NatsConnection;
 * await ensureAgentEventStream(nc);
 * ```
 */
export async function ensureAgentEventStream(nc: NatsConnection): Promise<void> {
  const { jetstreamManager, AckPolicy, DeliverPolicy, RetentionPolicy, StorageType } = await import(
    "@nats-io/jetstream"
  );
  const jsm = await jetstreamManager(nc);
  const stream = {
    subjects: [AGENT_EVENT_SUBJECTS],
    duplicate_window: DUPLICATE_WINDOW_MS * NS_PER_MS,
    max_age: MAX_AGE_MS * NS_PER_MS,
  };
  try {
    await jsm.streams.info(AGENT_EVENT_STREAM);
    await jsm.streams.update(AGENT_EVENT_STREAM, stream);
  } catch (e) {
    if (!(e instanceof Error && /stream not found/i.test(e.message))) throw e;
    await jsm.streams.add({
      name: AGENT_EVENT_STREAM,
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      ...stream,
    });
  }
  await jsm.consumers.add(AGENT_EVENT_STREAM, {
    durable_name: MASTER_EVENT_CONSUMER,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: ACK_WAIT_MS * NS_PER_MS,
  });
}
