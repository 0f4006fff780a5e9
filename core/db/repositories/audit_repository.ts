import type { Kysely, Selectable } from "kysely";
import type { AuditLogTable, Database } from "../schema.ts";
import { type Clock, isoTime, systemClock } from "../clock.ts";

/** One stored audit entry (`detail` is JSON text). */
export type AuditRow = Selectable<AuditLogTable>;

/** What {@linkcode AuditRepository.record} stores; the time comes from the repository's clock. */
export interface AuditInput {
  actor: string;
  actorKind: AuditRow["actor_kind"];
  osUser?: string | null;
  clientIp?: string | null;
  action: string;
  target?: string | null;
  outcome: AuditRow["outcome"];
  /** JSON-safe details; never a secret. */
  detail?: Record<string, unknown>;
}

/** Filters and page of {@linkcode AuditRepository.list}; times are ISO 8601, `until` exclusive. */
export interface AuditFilter {
  actor?: string;
  action?: string;
  since?: string;
  until?: string;
  limit: number;
  offset: number;
}

/**
 * The audit log of operator actions: appended once per action, listed
 * newest first. Entries are never changed.
 *
 * @example
 * ```ts
 * import type { AuditRepository } from "./audit_repository.ts";
 * declare const audit: AuditRepository;
 * await audit.record({ actor: "alice", actorKind: "user", action: "user.added", target: "bob", outcome: "success" });
 * const { items } = await audit.list({ action: "user.added", limit: 50, offset: 0 });
 * ```
 */
export class AuditRepository {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;

  constructor(db: Kysely<Database>, options: { clock?: Clock } = {}) {
    this.#db = db;
    this.#clock = options.clock ?? systemClock;
  }

  /** Appends one entry and returns it as stored. */
  async record(input: AuditInput): Promise<AuditRow> {
    // Cut to the columns' widths: a long target list must not lose the entry on MySQL.
    const row = {
      occurred_at: isoTime(this.#clock()),
      actor: input.actor.slice(0, 64),
      actor_kind: input.actorKind,
      os_user: input.osUser?.slice(0, 64) ?? null,
      client_ip: input.clientIp?.slice(0, 64) ?? null,
      action: input.action,
      target: input.target?.slice(0, 255) ?? null,
      outcome: input.outcome,
      detail: JSON.stringify(input.detail ?? {}),
    };
    const result = await this.#db.insertInto("audit_log").values(row).executeTakeFirst();
    return { id: Number(result.insertId), ...row };
  }

  /** Entries matching `filter`, newest first, and how many match in all. */
  async list(filter: AuditFilter): Promise<{ items: AuditRow[]; total: number }> {
    let query = this.#db.selectFrom("audit_log");
    if (filter.actor !== undefined) query = query.where("actor", "=", filter.actor);
    if (filter.action !== undefined) query = query.where("action", "=", filter.action);
    if (filter.since !== undefined) query = query.where("occurred_at", ">=", filter.since);
    if (filter.until !== undefined) query = query.where("occurred_at", "<", filter.until);
    const [items, count] = await Promise.all([
      query.selectAll().orderBy("occurred_at", "desc").orderBy("id", "desc")
        .limit(filter.limit).offset(filter.offset).execute(),
      query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    ]);
    return { items: items.map((r) => ({ ...r })), total: Number(count.n) };
  }
}
