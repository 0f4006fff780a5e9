import type { Insertable, Kysely, Selectable } from "kysely";
import { sql } from "kysely";
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
 * import type { OrchestratorRepository } from "./orchestrator_repository.ts";
 * declare const orchestrator: OrchestratorRepository;
 * await orchestrator.insertEvent({
 *   ts: new Date().toISOString(), kind: "traffic", success: 1, payload: "{}", error: null,
 *   src_decky_uuid: null, src_decky_name: "ws-01", dst_decky_uuid: null, dst_decky_name: "db-01",
 * });
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

  /**
   * Events in id order for a live stream: those after `afterId`, or without
   * it the newest `limit` (so `limit: 1` gives the newest id).
   */
  async listEventsForStream(
    options: { afterId?: number; limit: number },
  ): Promise<OrchestratorEventRow[]> {
    return await this.#forStream("orchestrator_events", options) as OrchestratorEventRow[];
  }

  /** Emails in id order for a live stream, as {@linkcode listEventsForStream}. */
  async listEmailsForStream(
    options: { afterId?: number; limit: number },
  ): Promise<OrchestratorEmailRow[]> {
    return await this.#forStream("orchestrator_emails", options) as OrchestratorEmailRow[];
  }

  async #forStream(
    table: "orchestrator_events" | "orchestrator_emails",
    options: { afterId?: number; limit: number },
  ): Promise<(OrchestratorEventRow | OrchestratorEmailRow)[]> {
    const query = this.#db.selectFrom(table).selectAll();
    if (options.afterId !== undefined) {
      return await query.where("id", ">", options.afterId).orderBy("id").limit(options.limit)
        .execute();
    }
    const rows = await query.orderBy("id", "desc").limit(options.limit).execute();
    return rows.reverse();
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
   * Keeps the newest `keep` events per destination decky (only `deckies`
   * when given). Cost per decky: one index seek to list it (a loose index
   * scan, not a DISTINCT over the table), one ranged seek `keep` entries deep
   * to find the cut-off, then a ranged delete of the excess.
   */
  async pruneEvents(keep: number, options: { deckies?: readonly string[] } = {}): Promise<number> {
    return await this.#prune("orchestrator_events", keep, options.deckies);
  }

  /** Keeps the newest `keep` emails per mail decky (only `deckies` when given); cost as for events. */
  async pruneEmails(keep: number, options: { deckies?: readonly string[] } = {}): Promise<number> {
    return await this.#prune("orchestrator_emails", keep, options.deckies);
  }

  async #prune(
    table: "orchestrator_events" | "orchestrator_emails",
    keep: number,
    only: readonly string[] | undefined,
  ): Promise<number> {
    // Both tables cap per decky on one column, newest first by (ts, id).
    const decky = sql.ref<string>(
      table === "orchestrator_events" ? "dst_decky_uuid" : "mail_decky_uuid",
    );
    const deckies = only ?? await this.#distinct(table);
    let removed = 0;
    for (const uuid of deckies) {
      const boundary = await this.#db.selectFrom(table).select(["ts", "id"])
        .where(decky, "=", uuid).orderBy("ts", "desc").orderBy("id", "desc")
        .offset(keep - 1).limit(1).executeTakeFirst();
      if (!boundary) continue;
      const result = await this.#db.deleteFrom(table)
        .where(decky, "=", uuid)
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

  /**
   * Counts of events (traffic, file) and emails since an instant, by kind
   * and outcome; `success` keeps only successes (true) or failures (false).
   */
  async stats(
    filter: { since?: string; success?: boolean } = {},
  ): Promise<{ kind: "traffic" | "file" | "email"; success: number; n: number }[]> {
    let events = this.#db.selectFrom("orchestrator_events")
      .select((eb) => ["kind", "success", eb.fn.countAll<number>().as("n")])
      .groupBy(["kind", "success"]);
    let emails = this.#db.selectFrom("orchestrator_emails")
      .select((eb) => ["success", eb.fn.countAll<number>().as("n")]).groupBy("success");
    if (filter.since !== undefined) {
      events = events.where("ts", ">=", filter.since);
      emails = emails.where("ts", ">=", filter.since);
    }
    if (filter.success !== undefined) {
      events = events.where("success", "=", filter.success ? 1 : 0);
      emails = emails.where("success", "=", filter.success ? 1 : 0);
    }
    const [e, m] = await Promise.all([events.execute(), emails.execute()]);
    return [
      ...e.map((r) => ({ kind: r.kind, success: Number(r.success), n: Number(r.n) })),
      ...m.map((r) => ({ kind: "email" as const, success: Number(r.success), n: Number(r.n) })),
    ];
  }

  /** Distinct non-null values of an indexed leading column, one index seek each. */
  async #distinct(
    table: "orchestrator_events" | "orchestrator_emails",
  ): Promise<string[]> {
    const values: string[] = [];
    let after: string | null = null;
    for (;;) {
      const row: { v: string | null } | undefined = table === "orchestrator_events"
        ? await this.#db.selectFrom("orchestrator_events")
          .select((eb) => eb.fn.min<string | null>("dst_decky_uuid").as("v"))
          .where("dst_decky_uuid", "is not", null)
          .$if(after !== null, (q) => q.where("dst_decky_uuid", ">", after!))
          .executeTakeFirst()
        : await this.#db.selectFrom("orchestrator_emails")
          .select((eb) => eb.fn.min<string | null>("mail_decky_uuid").as("v"))
          .$if(after !== null, (q) => q.where("mail_decky_uuid", ">", after!))
          .executeTakeFirst();
      if (!row || row.v === null || row.v === undefined) return values;
      values.push(row.v);
      after = row.v;
    }
  }
}
