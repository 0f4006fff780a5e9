import type { Kysely } from "kysely";
import type { Database } from "../schema.ts";
import { isoTime } from "../clock.ts";
import { type AttackerRow, type CredentialRow, fromAttackerRow } from "./attackers_repository.ts";
import type { ServiceEventRow } from "./attackers_repository.ts";
import type { AuditRow } from "./audit_repository.ts";
import type { DomainEventKind } from "./_domain_events.ts";

/** The tables the alerts worker follows by id, each from its own cursor. */
export const ALERT_SOURCE_TABLES = [
  "canary_triggers",
  "attackers",
  "credentials",
  "domain_events",
  "service_events",
  "tcp_fingerprints",
  "audit_log",
] as const;

/** One of {@linkcode ALERT_SOURCE_TABLES}. */
export type AlertSourceTable = typeof ALERT_SOURCE_TABLES[number];

/** A stored credential and the attacker record of the address that first offered it (null if none). */
export interface CredentialSourceRow {
  credential: CredentialRow;
  attacker_id: number | null;
}

/** A stored domain event, its payload decoded. */
export interface DomainEventRecord {
  id: number;
  kind: DomainEventKind;
  payload: Record<string, unknown>;
  occurred_at: string;
}

/** A stored TCP fingerprint event, its JSON decoded. */
export interface TcpFingerprintSourceRow {
  id: number;
  attacker_id: number;
  event: Record<string, unknown>;
}

/**
 * Reads the stored streams the alerts worker follows: the rows of a table
 * after an id, oldest first, so a cursor (`alert_cursors`) moves over them
 * and nothing is missed or read twice across restarts.
 *
 * @example
 * ```ts
 * import type { DbHandle } from "../db_handle.ts";
 * import { AlertSourcesRepository } from "./alert_sources_repository.ts";
 * declare const handle: DbHandle;
 * const sources = new AlertSourcesRepository(handle.db);
 * const fresh = await sources.attackersAfter(await sources.newestId("attackers") - 10, 100);
 * ```
 */
export class AlertSourcesRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** The highest id of `table`, 0 when it is empty: where a first start begins. */
  async newestId(table: AlertSourceTable): Promise<number> {
    const row = await this.#db.selectFrom(table)
      .select((eb) => eb.fn.max("id").as("id")).executeTakeFirst();
    return Number(row?.id ?? 0);
  }

  /** New attacker records (first contacts) after `id`. */
  async attackersAfter(id: number, limit: number): Promise<AttackerRow[]> {
    const rows = await this.#db.selectFrom("attackers").selectAll().where("id", ">", id)
      .orderBy("id").limit(limit).execute();
    return rows.map(fromAttackerRow);
  }

  /** New distinct credentials after `id`, with the attacker record of their source address. */
  async credentialsAfter(id: number, limit: number): Promise<CredentialSourceRow[]> {
    const rows = await this.#db.selectFrom("credentials")
      .leftJoin("attackers", "attackers.ip", "credentials.last_src_ip")
      .selectAll("credentials").select("attackers.id as attacker_id")
      .where("credentials.id", ">", id).orderBy("credentials.id").limit(limit).execute();
    return rows.map(({ attacker_id, ...credential }) => ({
      credential,
      attacker_id: attacker_id === null ? null : Number(attacker_id),
    }));
  }

  /** Domain events (campaigns, decky states) after `id`. */
  async domainEventsAfter(id: number, limit: number): Promise<DomainEventRecord[]> {
    const rows = await this.#db.selectFrom("domain_events").selectAll().where("id", ">", id)
      .orderBy("id").limit(limit).execute();
    return rows.map((r) => ({
      id: Number(r.id),
      kind: r.kind as DomainEventKind,
      payload: JSON.parse(r.payload) as Record<string, unknown>,
      occurred_at: r.occurred_at,
    }));
  }

  /** Service events (benign ones included) after `id`. */
  async serviceEventsAfter(id: number, limit: number): Promise<ServiceEventRow[]> {
    return await this.#db.selectFrom("service_events").selectAll().where("id", ">", id)
      .orderBy("id").limit(limit).execute();
  }

  /** TCP fingerprint events after `id`. */
  async tcpFingerprintsAfter(id: number, limit: number): Promise<TcpFingerprintSourceRow[]> {
    const rows = await this.#db.selectFrom("tcp_fingerprints")
      .select(["id", "attacker_id", "event"]).where("id", ">", id).orderBy("id").limit(limit)
      .execute();
    return rows.map((r) => ({
      id: Number(r.id),
      attacker_id: Number(r.attacker_id),
      event: JSON.parse(r.event) as Record<string, unknown>,
    }));
  }

  /** Audit log entries after `id`. */
  async auditAfter(id: number, limit: number): Promise<AuditRow[]> {
    return await this.#db.selectFrom("audit_log").selectAll().where("id", ">", id)
      .orderBy("id").limit(limit).execute();
  }

  /**
   * Deletes up to `limit` domain events that happened before `before`, oldest first.
   *
   * @returns how many were deleted
   */
  async pruneDomainEvents(options: { before: Date; limit: number }): Promise<number> {
    const ids = (await this.#db.selectFrom("domain_events").select("id")
      .where("occurred_at", "<", isoTime(options.before)).orderBy("id")
      .limit(options.limit).execute()).map((r) => r.id);
    if (ids.length === 0) return 0;
    const result = await this.#db.deleteFrom("domain_events").where("id", "in", ids)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
