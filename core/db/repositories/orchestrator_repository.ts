import type { Insertable, Kysely, Selectable } from "kysely";
import type { Database, OrchestratorEmailsTable, OrchestratorEventsTable } from "../schema.ts";

/** A stored orchestrator event. */
export type OrchestratorEventRow = Selectable<OrchestratorEventsTable>;
/** A stored synthetic email. */
export type OrchestratorEmailRow = Selectable<OrchestratorEmailsTable>;

/** Filters for {@linkcode OrchestratorRepository.listEvents}. */
export interface EventFilter {
  kind?: OrchestratorEventsTable["kind"];
  success?: boolean;
  /** ISO 8601 lower bound on ts. */
  since?: string;
  limit: number;
  offset: number;
}

/**
 * Orchestrator events and emails, with pruning whose cost stays bounded.
 *
 * @example
 * ```ts
 * await orchestrator.insertEvent({ ts, kind: "traffic", success: 1, payload: "{}", ... });
 * ```
 */
export class OrchestratorRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insertEvent(event: Insertable<OrchestratorEventsTable>): Promise<number> {
    const result = await this.#db.insertInto("orchestrator_events").values(event)
      .executeTakeFirst();
    return Number(result.insertId);
  }

  async listEvents(filter: EventFilter): Promise<{ items: OrchestratorEventRow[]; total: number }> {
    let query = this.#db.selectFrom("orchestrator_events");
    if (filter.kind !== undefined) query = query.where("kind", "=", filter.kind);
    if (filter.success !== undefined) query = query.where("success", "=", filter.success ? 1 : 0);
    if (filter.since !== undefined) query = query.where("ts", ">=", filter.since);
    const [items, count] = await Promise.all([
      query.selectAll().orderBy("ts", "desc").orderBy("id", "desc").limit(filter.limit)
        .offset(filter.offset).execute(),
      query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(count.n) };
  }

  async insertEmail(email: Insertable<OrchestratorEmailsTable>): Promise<number> {
    const result = await this.#db.insertInto("orchestrator_emails").values(email)
      .executeTakeFirst();
    return Number(result.insertId);
  }

  async listEmails(
    page: { limit: number; offset: number; since?: string },
  ): Promise<{ items: OrchestratorEmailRow[]; total: number }> {
    let query = this.#db.selectFrom("orchestrator_emails");
    if (page.since !== undefined) query = query.where("ts", ">=", page.since);
    const [items, count] = await Promise.all([
      query.selectAll().orderBy("ts", "desc").orderBy("id", "desc").limit(page.limit)
        .offset(page.offset).execute(),
      query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(count.n) };
  }

  /** The newest successful message exchanged between two addresses, either way. */
  async newestMessageBetween(a: string, b: string): Promise<OrchestratorEmailRow | undefined> {
    return await this.#db.selectFrom("orchestrator_emails").selectAll()
      .where("success", "=", 1)
      .where((eb) =>
        eb.or([
          eb.and([eb("sender", "=", a), eb("recipient", "=", b)]),
          eb.and([eb("sender", "=", b), eb("recipient", "=", a)]),
        ])
      )
      .orderBy("ts", "desc").orderBy("id", "desc").limit(1).executeTakeFirst();
  }

  /**
   * Keeps the newest `keep` events per destination decky. Cost: one index
   * seek per decky to find the cut-off, then a ranged delete.
   */
  async pruneEvents(keep: number): Promise<number> {
    const deckies = await this.#db.selectFrom("orchestrator_events").select("dst_decky_uuid")
      .distinct().execute();
    let removed = 0;
    for (const { dst_decky_uuid: decky } of deckies) {
      let cut = this.#db.selectFrom("orchestrator_events").select(["ts", "id"]);
      cut = decky === null
        ? cut.where("dst_decky_uuid", "is", null)
        : cut.where("dst_decky_uuid", "=", decky);
      const boundary = await cut.orderBy("ts", "desc").orderBy("id", "desc").offset(keep - 1)
        .limit(1).executeTakeFirst();
      if (!boundary) continue;
      let del = this.#db.deleteFrom("orchestrator_events").where((eb) =>
        eb.or([
          eb("ts", "<", boundary.ts),
          eb.and([eb("ts", "=", boundary.ts), eb("id", "<", boundary.id)]),
        ])
      );
      del = decky === null
        ? del.where("dst_decky_uuid", "is", null)
        : del.where("dst_decky_uuid", "=", decky);
      removed += Number((await del.executeTakeFirst()).numDeletedRows);
    }
    return removed;
  }

  /** Keeps the newest `keep` emails per mail decky. */
  async pruneEmails(keep: number): Promise<number> {
    const deckies = await this.#db.selectFrom("orchestrator_emails").select("mail_decky_uuid")
      .distinct().execute();
    let removed = 0;
    for (const { mail_decky_uuid: decky } of deckies) {
      const boundary = await this.#db.selectFrom("orchestrator_emails").select(["ts", "id"])
        .where("mail_decky_uuid", "=", decky).orderBy("ts", "desc").orderBy("id", "desc")
        .offset(keep - 1).limit(1).executeTakeFirst();
      if (!boundary) continue;
      const result = await this.#db.deleteFrom("orchestrator_emails")
        .where("mail_decky_uuid", "=", decky)
        .where((eb) =>
          eb.or([
            eb("ts", "<", boundary.ts),
            eb.and([eb("ts", "=", boundary.ts), eb("id", "<", boundary.id)]),
          ])
        ).executeTakeFirst();
      removed += Number(result.numDeletedRows);
    }
    return removed;
  }
}
