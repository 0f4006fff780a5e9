import type { Kysely, Selectable } from "kysely";
import type { Database, SwarmEventsTable } from "../schema.ts";
import { type Clock, isoTime, systemClock } from "../clock.ts";

/** One stored agent event. */
export type SwarmEventRow = Selectable<SwarmEventsTable>;

/** An agent event as the master received it. */
export interface SwarmEventInput {
  eventId: string;
  host: string;
  kind: string;
  occurredAt: string;
  /** JSON object text. */
  payload: string;
}

/**
 * Agent events consumed from JetStream: stored by their own id, so a
 * redelivery (after a crash between storing and acknowledging, or a
 * publish the agent retried) adds nothing.
 *
 * @example
 * ```ts
 * import type { SwarmEventsRepository } from "./swarm_events_repository.ts";
 * declare const events: SwarmEventsRepository;
 * const added = await events.store([{ eventId: "e1", host: "a", kind: "test", occurredAt: new Date().toISOString(), payload: "{}" }]);
 * ```
 */
export class SwarmEventsRepository {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;

  constructor(db: Kysely<Database>, options: { clock?: Clock } = {}) {
    this.#db = db;
    this.#clock = options.clock ?? systemClock;
  }

  /** Stores events not stored before, in one transaction; returns how many were new. */
  async store(events: readonly SwarmEventInput[]): Promise<number> {
    if (events.length === 0) return 0;
    const receivedAt = isoTime(this.#clock());
    return await this.#db.transaction().execute(async (tx) => {
      let added = 0;
      for (const e of events) {
        const result = await tx.insertInto("swarm_events").values({
          event_id: e.eventId,
          host: e.host,
          kind: e.kind,
          occurred_at: e.occurredAt,
          received_at: receivedAt,
          payload: e.payload,
        }).orIgnore().executeTakeFirst();
        added += Number(result.numInsertedOrUpdatedRows ?? 0n);
      }
      return added;
    });
  }

  /** How many events of `host` (every host when undefined) are stored. */
  async count(host?: string): Promise<number> {
    let query = this.#db.selectFrom("swarm_events").select((eb) =>
      eb.fn.countAll<number>().as("n")
    );
    if (host !== undefined) query = query.where("host", "=", host);
    return Number((await query.executeTakeFirstOrThrow()).n);
  }

  /** The events of `host`, oldest first. */
  async listByHost(host: string, limit: number): Promise<SwarmEventRow[]> {
    const rows = await this.#db.selectFrom("swarm_events").selectAll().where("host", "=", host)
      .orderBy("occurred_at").orderBy("event_id").limit(limit).execute();
    return rows.map((r) => ({ ...r }));
  }
}
