import type { NatsConnection } from "@nats-io/transport-node";
import type { JsMsg } from "@nats-io/jetstream";
import type { SwarmEventsRepository } from "../db/mod.ts";
import { Logger } from "../log/mod.ts";
import {
  handleAgentEventMessage,
  type HandleAgentEventOptions,
} from "./handle_agent_event_message.ts";
import { AGENT_EVENT_STREAM, MASTER_EVENT_CONSUMER } from "./swarm_subjects.ts";

/** Options for {@linkcode AgentEventConsumer}. */
export interface AgentEventConsumerOptions {
  logger?: Logger;
  /** Wait before an event whose store failed is delivered again. @default 5000 */
  retryMs?: number;
  /** Applies known kinds to the domain (see `applyAgentEvent`); others are kept raw by id. */
  apply?: HandleAgentEventOptions["apply"];
}

/**
 * The master's side of the agents' event stream: pulls from its durable
 * consumer, applies each event of a known kind to the domain (`apply`) or
 * stores it raw by its id (a redelivered one adds nothing), and
 * acknowledges only once stored, so nothing is lost when the master, its
 * database or nats-server stop in between. A malformed event is logged and
 * dropped; one that could not be stored yet comes back later.
 *
 * @example
 * ```ts
 * import type { NatsConnection } from "@nats-io/transport-node";
 * import type { SwarmEventsRepository } from "../db/mod.ts";
 * import { AgentEventConsumer } from "./agent_event_consumer.ts";
 * declare const nc: NatsConnection;
 * declare const events: SwarmEventsRepository;
 * await using consumer = new AgentEventConsumer(nc, events);
 * ```
 */
export class AgentEventConsumer implements AsyncDisposable {
  readonly #nc: NatsConnection;
  readonly #events: SwarmEventsRepository;
  readonly #log: Logger;
  readonly #retryMs: number;
  readonly #apply: AgentEventConsumerOptions["apply"];
  readonly #loop: Promise<void>;
  #stop: (() => void) | null = null;
  #closed = false;
  #stored = 0;

  constructor(
    nc: NatsConnection,
    events: SwarmEventsRepository,
    options: AgentEventConsumerOptions = {},
  ) {
    this.#nc = nc;
    this.#events = events;
    this.#log = options.logger ?? new Logger({ scope: "swarm" });
    this.#retryMs = options.retryMs ?? 5000;
    this.#apply = options.apply;
    // A consumer that cannot start (no stream yet, no JetStream rights) says so and stops.
    this.#loop = this.#run().catch((e) =>
      this.#log.error("swarm event consumer stopped", { error: (e as Error).message })
    );
  }

  /** Events stored or applied so far (redeliveries of stored ones not counted). */
  get stored(): number {
    return this.#stored;
  }

  /**
   * Stops pulling. Events JetStream already handed to this consumer and not
   * yet acknowledged come back to the next one after the ack wait (30 s);
   * closing the connection too releases them at once.
   */
  async close(): Promise<void> {
    this.#closed = true;
    this.#stop?.();
    await this.#loop;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #run(): Promise<void> {
    const { jetstream } = await import("@nats-io/jetstream");
    const consumer = await jetstream(this.#nc).consumers.get(
      AGENT_EVENT_STREAM,
      MASTER_EVENT_CONSUMER,
    );
    if (this.#closed) return;
    const messages = await consumer.consume({ max_messages: 256 });
    this.#stop = () => messages.stop();
    if (this.#closed) messages.stop();
    for await (const msg of messages) await this.#handle(msg);
  }

  async #handle(msg: JsMsg): Promise<void> {
    const outcome = await handleAgentEventMessage(msg, {
      events: this.#events,
      apply: this.#apply,
      log: this.#log,
      retryMs: this.#retryMs,
    });
    if (outcome === "stored") this.#stored++;
  }
}
