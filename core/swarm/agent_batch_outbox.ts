import type { JsonValue } from "../bus/mod.ts";
import type { AgentEvent } from "./agent_event.ts";
import { agentBatchId } from "./agent_batch_id.ts";
import type { AgentCursorFile } from "./agent_cursor_file.ts";

/** Options for {@linkcode AgentBatchOutbox}. */
export interface AgentBatchOutboxOptions {
  /** The agent's swarm name (part of every batch id). */
  host: string;
  cursors: AgentCursorFile;
  /** Resolves once JetStream acknowledged the event; throws while it cannot. */
  publish(event: AgentEvent): Promise<void>;
  now?: () => Date;
}

/** One batch to send: `fields` gain its bounds as `from` and `to`. */
export interface AgentBatch<P> {
  /** The journal or container whose cursor it moves. */
  key: string;
  kind: string;
  from: P;
  to: P;
  fields: { [name: string]: JsonValue };
  /** The error the ingest expects when its cursor is not where it thinks. */
  moved: () => Error;
}

/**
 * Sends an agent's journal batches to JetStream, one event per batch, and
 * keeps each journal's cursor in a local file moved only after JetStream
 * acknowledged the batch. The batch is written beside the cursor before it
 * is published: after a crash or a lost acknowledgement the same event (same
 * id) goes again, never a differently cut batch from the same place, so the
 * master sees each journal as one chain of batches.
 *
 * @example
 * ```ts
 * import { AgentBatchOutbox } from "./agent_batch_outbox.ts";
 * import { AgentCursorFile } from "./agent_cursor_file.ts";
 * const outbox = new AgentBatchOutbox({
 *   host: "dmz-1",
 *   cursors: new AgentCursorFile("/var/lib/decnet/swarm/cursors"),
 *   publish: async (_event) => {},
 * });
 * const from = await outbox.cursor("canary", { segment: 0, offset: 0 });
 * ```
 */
export class AgentBatchOutbox {
  readonly #o: AgentBatchOutboxOptions;
  /** The last send of each key: sends of one key run one after the other. */
  readonly #queues = new Map<string, Promise<void>>();

  constructor(options: AgentBatchOutboxOptions) {
    this.#o = options;
  }

  /** Where `key` stands (`initial` before its first batch). */
  async cursor<P>(key: string, initial: P): Promise<P> {
    return ((await this.#o.cursors.read(key)).cursor ?? initial) as P;
  }

  /**
   * Publishes one batch and moves its cursor to `to` once acknowledged.
   *
   * @throws the batch's `moved()` error when the cursor is not at `from`, or when
   *   an earlier cut of the batch from `from` had to go first (read again from the cursor);
   *   the publish's error while JetStream cannot be reached (nothing moved)
   */
  send<P>(batch: AgentBatch<P>, initial: P): Promise<void> {
    // Two ingests of one log (a follow and a drain) must not both publish from the same cursor.
    const previous = this.#queues.get(batch.key) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(() => this.#send(batch, initial));
    const settled = next.catch(() => {});
    this.#queues.set(batch.key, settled);
    settled.then(() => {
      if (this.#queues.get(batch.key) === settled) this.#queues.delete(batch.key);
    });
    return next;
  }

  async #send<P>(batch: AgentBatch<P>, initial: P): Promise<void> {
    const { cursors } = this.#o;
    const state = await cursors.read(batch.key);
    // Positions are plain JSON objects (journal offsets, Docker log times).
    const from = batch.from as JsonValue;
    const to = batch.to as JsonValue;
    const at = state.cursor ?? initial as JsonValue;
    if (!same(at, from)) throw batch.moved();
    if (state.pending && same(state.pending.from, from)) {
      if (!same(state.pending.to, to)) {
        // Published before (perhaps acknowledged): it goes again as it was, then the ingest
        // reads on from its end.
        await this.#o.publish(state.pending.event);
        await cursors.write(batch.key, { cursor: state.pending.to, pending: null });
        throw batch.moved();
      }
    }
    const event = state.pending?.event ?? {
      id: agentBatchId({ host: this.#o.host, journal: batch.key, from, to }),
      kind: batch.kind,
      at: (this.#o.now ?? (() => new Date()))().toISOString(),
      fields: { ...batch.fields, from, to },
    };
    await cursors.write(batch.key, { cursor: from, pending: { from, to, event } });
    await this.#o.publish(event);
    await cursors.write(batch.key, { cursor: to, pending: null });
  }
}

function same(a: JsonValue, b: JsonValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
