import { createHash } from "node:crypto";
import { type Kysely, type Selectable, sql, type Transaction } from "kysely";
import type { CredentialFields, SensorEvent } from "../../sensor/sensor_event.ts";
import type { TcpStackSnapshot } from "../../sniffer/mod.ts";
import { type AttackerTotals, foldAttackerEvents } from "../attacker_rollup.ts";
import { type Clock, isoTime, systemClock } from "../clock.ts";
import type { DbEngine } from "../db_handle.ts";
import type { AttackersTable, CredentialsTable, Database, ServiceEventsTable } from "../schema.ts";
import { retryTransaction } from "./_retry_transaction.ts";

/** Where a sensor container's log has been stored up to. */
export interface SensorLogPosition {
  /** Docker's timestamp of the last stored line; "" before the first. */
  logTime: string;
  /** Stored lines carrying exactly `logTime`. */
  linesAtTime: number;
}

/** One batch of a sensor container's log, read from `from` to `to`. */
export interface SensorLogBatch {
  container: string;
  decky: string;
  from: SensorLogPosition;
  to: SensorLogPosition;
  /** Valid events, in log order. */
  events: SensorEvent[];
  /** Where each event's line is in the log (a swarm agent sends them so the master can take up a batch from the middle). */
  positions?: SensorLogPosition[];
  /** Lines in the batch that were not valid events. */
  badLines: number;
  /** Whether a source's events are benign: stored, but never an attacker record. */
  isBenign: (ip: string) => boolean;
  /** The swarm agent whose sensor logged it. @default this host (null) */
  host?: string;
}

/** What a stored batch changed, for the bus. */
export interface StoredSensorBatch {
  /** The events as stored, with their ids (the live feed resumes by id). */
  events: ServiceEventRow[];
  /** Attackers created or grown, as stored after the batch. */
  attackers: AttackerRow[];
  /** Credentials seen for the first time. */
  newCredentials: CredentialRow[];
}

/** An attacker as stored, JSON decoded. */
export interface AttackerRow extends AttackerTotals {
  id: number;
  /** Its TCP stack as the sniffer saw it; absent before any SYN was fingerprinted. */
  tcpFingerprint?: TcpStackSnapshot;
}

/** A stored credential. */
export type CredentialRow = Selectable<CredentialsTable>;
/** A stored service event. */
export type ServiceEventRow = Selectable<ServiceEventsTable>;

/** Thrown when a sensor log cursor is not where the batch started (another ingest ran). */
export class SensorCursorMovedError extends Error {
  constructor(container: string) {
    super(`Cannot store sensor log of ${container}: its cursor moved`);
    this.name = "SensorCursorMovedError";
  }
}

/** Filters for {@linkcode AttackersRepository.listAttackers}. */
export interface AttackerFilter {
  decky?: string;
  /** Touched a decky of this swarm agent; null: of this host. */
  host?: string | null;
  service?: string;
  /** ISO 8601: last seen at or after. */
  since?: string;
  /** ISO 8601: first seen at or before. */
  until?: string;
  /** Substring of the address, a username or a command. */
  q?: string;
  sort?: "last_seen" | "event_count";
  limit: number;
  offset: number;
}

/** Filters for {@linkcode AttackersRepository.listServiceEvents}. */
export interface ServiceEventFilter {
  decky?: string;
  service?: string;
  kind?: string;
  srcIp?: string;
  since?: string;
  until?: string;
  /** Substring of the command or request text. */
  q?: string;
  includeBenign?: boolean;
  /** Only events with an id above this (a live feed resuming). */
  afterId?: number;
  limit: number;
  offset: number;
}

/**
 * Sensor events, the attackers rolled up from them and the credentials they
 * tried. A batch, its rollups and its log cursor commit together, so a
 * collector restart neither loses nor repeats an event. On MySQL/MariaDB the
 * attacker and credential rows a batch folds into are read `FOR UPDATE`:
 * batches of other sensors and fingerprint writes to the same attacker wait
 * for the commit instead of overwriting its first/last seen and counters.
 *
 * @example
 * ```ts
 * import type { AttackersRepository, SensorLogBatch } from "./attackers_repository.ts";
 * declare const repo: AttackersRepository;
 * declare const batch: SensorLogBatch;
 * const from = await repo.logCursor(batch.container);
 * await repo.storeSensorBatch({ ...batch, from });
 * ```
 */
export class AttackersRepository {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;
  /** Row locks (`FOR UPDATE`): MySQL/MariaDB only; SQLite runs one write transaction at a time. */
  readonly #lockRows: boolean;

  constructor(db: Kysely<Database>, options: { clock?: Clock; engine?: DbEngine } = {}) {
    this.#db = db;
    this.#clock = options.clock ?? systemClock;
    this.#lockRows = options.engine === "mysql";
  }

  /** Where the container's log is stored up to (its start when never read). */
  async logCursor(container: string): Promise<SensorLogPosition> {
    const row = await this.#db.selectFrom("sensor_log_cursors")
      .select(["log_time", "lines_at_time"]).where("container", "=", container)
      .executeTakeFirst();
    return row
      ? { logTime: row.log_time, linesAtTime: Number(row.lines_at_time) }
      : { logTime: "", linesAtTime: 0 };
  }

  /**
   * Stores a batch: its events, the attackers' rollups, new and repeated
   * credentials and the container's cursor, in one transaction.
   *
   * @throws {SensorCursorMovedError} when the cursor is not at `batch.from` (nothing is written)
   */
  async storeSensorBatch(batch: SensorLogBatch): Promise<StoredSensorBatch> {
    return await retryTransaction(this.#db, async (trx) => {
      await this.#moveCursor(trx, batch);
      // One row per statement: each insert's id is known on every engine
      // (a multi-row insert reports the first id on MySQL, the last on SQLite).
      const events: ServiceEventRow[] = [];
      for (const e of batch.events) {
        const row = toRow(e, batch.isBenign);
        const result = await trx.insertInto("service_events").values(row).executeTakeFirst();
        events.push({ id: Number(result.insertId), ...row });
      }
      const hostile = batch.events.filter((e) => !batch.isBenign(e.src_ip) && e.benign !== true);
      const attackers = await this.#foldAttackers(trx, hostile, batch.host ?? null);
      const newCredentials = await this.#storeCredentials(trx, hostile);
      return { events, attackers, newCredentials };
    });
  }

  async #moveCursor(trx: Transaction<Database>, batch: SensorLogBatch): Promise<void> {
    const now = isoTime(this.#clock());
    const to = { log_time: batch.to.logTime, lines_at_time: batch.to.linesAtTime };
    if (batch.from.logTime === "") {
      const exists = await trx.selectFrom("sensor_log_cursors").select("container")
        .where("container", "=", batch.container).executeTakeFirst();
      if (exists) throw new SensorCursorMovedError(batch.container);
      await trx.insertInto("sensor_log_cursors").values({
        container: batch.container,
        decky: batch.decky,
        ...to,
        bad_lines: batch.badLines,
        updated_at: now,
      }).execute();
      return;
    }
    const moved = await trx.updateTable("sensor_log_cursors")
      .set((eb) => ({ ...to, bad_lines: eb("bad_lines", "+", batch.badLines), updated_at: now }))
      .where("container", "=", batch.container)
      .where("log_time", "=", batch.from.logTime)
      .where("lines_at_time", "=", batch.from.linesAtTime)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw new SensorCursorMovedError(batch.container);
  }

  async #foldAttackers(
    trx: Transaction<Database>,
    events: SensorEvent[],
    host: string | null,
  ): Promise<AttackerRow[]> {
    const byIp = groupBy(events, (e) => e.src_ip);
    if (byIp.size === 0) return [];
    const existing = new Map(
      (await trx.selectFrom("attackers").selectAll().where("ip", "in", [...byIp.keys()])
        .$if(this.#lockRows, (q) => q.forUpdate()).execute())
        .map((row) => [row.ip, fromAttackerRow(row)]),
    );
    const out: AttackerRow[] = [];
    for (const [ip, ipEvents] of byIp) {
      const previous = existing.get(ip);
      const totals = foldAttackerEvents(previous, ip, ipEvents);
      const values = toAttackerValues(totals);
      let id: number;
      if (previous) {
        id = previous.id;
        await trx.updateTable("attackers").set(values).where("id", "=", id).execute();
      } else {
        const result = await trx.insertInto("attackers").values(values).executeTakeFirst();
        id = Number(result.insertId);
      }
      const tcp = previous?.tcpFingerprint;
      out.push(tcp ? { id, ...totals, tcpFingerprint: tcp } : { id, ...totals });
      await this.#touchServices(trx, id, ipEvents, host);
    }
    return out;
  }

  async #touchServices(
    trx: Transaction<Database>,
    attackerId: number,
    events: SensorEvent[],
    host: string | null,
  ): Promise<void> {
    const groups = groupBy(events, (e) => `${e.decky}\u0000${e.service}`);
    for (const group of groups.values()) {
      const { decky, service } = group[0];
      const times = group.map((e) => e.time).sort();
      const row = await trx.selectFrom("attacker_services").selectAll()
        .where("attacker_id", "=", attackerId).where("decky", "=", decky)
        .where("service", "=", service).executeTakeFirst();
      if (row) {
        await trx.updateTable("attacker_services").set({
          first_seen: times[0] < row.first_seen ? times[0] : row.first_seen,
          last_seen: times.at(-1)! > row.last_seen ? times.at(-1)! : row.last_seen,
          event_count: Number(row.event_count) + group.length,
          host,
        }).where("attacker_id", "=", attackerId).where("decky", "=", decky)
          .where("service", "=", service).execute();
      } else {
        await trx.insertInto("attacker_services").values({
          attacker_id: attackerId,
          decky,
          service,
          first_seen: times[0],
          last_seen: times.at(-1)!,
          event_count: group.length,
          host,
        }).execute();
      }
    }
  }

  async #storeCredentials(
    trx: Transaction<Database>,
    events: SensorEvent[],
  ): Promise<CredentialRow[]> {
    const created: CredentialRow[] = [];
    for (const e of events) {
      if (e.kind !== "credential") continue;
      const c = e as SensorEvent & Partial<CredentialFields>;
      if (typeof c.username !== "string" || typeof c.secret_kind !== "string") continue;
      const secret = typeof c.secret === "string" ? c.secret : "";
      const fingerprint = credentialFingerprint(e.service, c.username, c.secret_kind, secret);
      const row = await trx.selectFrom("credentials").selectAll()
        .where("fingerprint", "=", fingerprint).$if(this.#lockRows, (q) => q.forUpdate())
        .executeTakeFirst();
      if (row) {
        await trx.updateTable("credentials").set({
          count: Number(row.count) + 1,
          first_seen: e.time < row.first_seen ? e.time : row.first_seen,
          last_seen: e.time > row.last_seen ? e.time : row.last_seen,
          last_src_ip: e.src_ip,
        }).where("id", "=", row.id).execute();
        continue;
      }
      const values = {
        fingerprint,
        service: e.service,
        username: c.username,
        secret_kind: c.secret_kind,
        secret,
        domain: typeof c.domain === "string" ? c.domain : null,
        hashcat_mode: typeof c.hashcat_mode === "number" ? c.hashcat_mode : null,
        hashcat_line: typeof c.hashcat_line === "string" ? c.hashcat_line : null,
        first_seen: e.time,
        last_seen: e.time,
        count: 1,
        last_src_ip: e.src_ip,
      };
      const result = await trx.insertInto("credentials").values(values).executeTakeFirst();
      created.push({ id: Number(result.insertId), ...values });
    }
    return created;
  }

  /** Attackers, newest activity first (or busiest), with the total matching. */
  async listAttackers(filter: AttackerFilter): Promise<{ items: AttackerRow[]; total: number }> {
    let query = this.#db.selectFrom("attackers");
    const { host } = filter;
    if (filter.decky !== undefined || filter.service !== undefined || host !== undefined) {
      query = query.where((eb) =>
        eb.exists(
          eb.selectFrom("attacker_services").select("attacker_id")
            .whereRef("attacker_services.attacker_id", "=", "attackers.id")
            .$if(filter.decky !== undefined, (q) => q.where("decky", "=", filter.decky!))
            .$if(filter.service !== undefined, (q) => q.where("service", "=", filter.service!))
            .$if(host !== undefined, (q) => q.where("host", host === null ? "is" : "=", host!)),
        )
      );
    }
    if (filter.since !== undefined) query = query.where("last_seen", ">=", filter.since);
    if (filter.until !== undefined) query = query.where("first_seen", "<=", filter.until);
    if (filter.q !== undefined) {
      const q = filter.q;
      query = query.where((eb) => eb.or([contains("ip", q), contains("rollup", q)]));
    }
    const order = filter.sort === "event_count" ? "event_count" : "last_seen";
    const [rows, count] = await Promise.all([
      query.selectAll().orderBy(order, "desc").orderBy("id", "desc").limit(filter.limit)
        .offset(filter.offset).execute(),
      query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(fromAttackerRow), total: Number(count.n) };
  }

  /** One attacker, or undefined. */
  async getAttacker(id: number): Promise<AttackerRow | undefined> {
    const row = await this.#db.selectFrom("attackers").selectAll().where("id", "=", id)
      .executeTakeFirst();
    return row ? fromAttackerRow(row) : undefined;
  }

  /** The deckies and services an attacker touched. */
  async attackerServices(id: number): Promise<Selectable<Database["attacker_services"]>[]> {
    return await this.#db.selectFrom("attacker_services").selectAll()
      .where("attacker_id", "=", id).orderBy("first_seen").execute();
  }

  /** Credentials, most recently tried first. */
  async listCredentials(
    filter: { service?: string; srcIp?: string; limit: number; offset: number },
  ): Promise<{ items: CredentialRow[]; total: number }> {
    let query = this.#db.selectFrom("credentials");
    if (filter.service !== undefined) query = query.where("service", "=", filter.service);
    if (filter.srcIp !== undefined) query = query.where("last_src_ip", "=", filter.srcIp);
    const [items, count] = await Promise.all([
      query.selectAll().orderBy("last_seen", "desc").orderBy("id", "desc").limit(filter.limit)
        .offset(filter.offset).execute(),
      query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(count.n) };
  }

  /** Service events, newest first (or after `afterId`, oldest first, for a live feed). */
  async listServiceEvents(
    filter: ServiceEventFilter,
  ): Promise<{ items: ServiceEventRow[]; total: number }> {
    let query = this.#db.selectFrom("service_events");
    if (filter.decky !== undefined) query = query.where("decky", "=", filter.decky);
    if (filter.service !== undefined) query = query.where("service", "=", filter.service);
    if (filter.kind !== undefined) query = query.where("kind", "=", filter.kind);
    if (filter.srcIp !== undefined) query = query.where("src_ip", "=", filter.srcIp);
    if (filter.since !== undefined) query = query.where("occurred_at", ">=", filter.since);
    if (filter.until !== undefined) query = query.where("occurred_at", "<=", filter.until);
    if (filter.q !== undefined) query = query.where(contains("text", filter.q));
    if (!filter.includeBenign) query = query.where("benign", "=", 0);
    if (filter.afterId !== undefined) query = query.where("id", ">", filter.afterId);
    const ordered = filter.afterId !== undefined
      ? query.selectAll().orderBy("id", "asc")
      : query.selectAll().orderBy("occurred_at", "desc").orderBy("id", "desc");
    const [items, count] = await Promise.all([
      ordered.limit(filter.limit).offset(filter.offset).execute(),
      query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(count.n) };
  }

  /** The highest service event id, 0 when there is none (where a live feed starts). */
  async newestServiceEventId(): Promise<number> {
    const row = await this.#db.selectFrom("service_events")
      .select((eb) => eb.fn.max("id").as("id")).executeTakeFirst();
    return Number(row?.id ?? 0);
  }

  /** Deletes up to `limit` service events older than `before`; returns how many went. */
  async pruneServiceEvents(before: string, limit: number): Promise<number> {
    const ids = (await this.#db.selectFrom("service_events").select("id")
      .where("occurred_at", "<", before).orderBy("id").limit(limit).execute()).map((r) => r.id);
    if (ids.length === 0) return 0;
    const result = await this.#db.deleteFrom("service_events").where("id", "in", ids)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

/**
 * What makes two credentials the same: service, username, kind and secret.
 *
 * @example
 * ```ts
 * credentialFingerprint("ssh", "root", "password", "toor").length; // 64
 * ```
 */
export function credentialFingerprint(
  service: string,
  username: string,
  secretKind: string,
  secret: string,
): string {
  return createHash("sha256").update([service, username, secretKind, secret].join("\u0000"))
    .digest("hex");
}

const ENVELOPE_KEYS = new Set([
  "v",
  "time",
  "decky",
  "service",
  "kind",
  "src_ip",
  "src_port",
  "dst_port",
  "session",
]);

function toRow(e: SensorEvent, isBenign: (ip: string) => boolean) {
  const detail: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) if (!ENVELOPE_KEYS.has(k)) detail[k] = v;
  return {
    occurred_at: e.time,
    decky: e.decky,
    service: e.service,
    kind: e.kind,
    src_ip: e.src_ip,
    src_port: e.src_port,
    dst_port: e.dst_port,
    session: e.session,
    username: typeof e.username === "string" ? e.username.slice(0, 255) : null,
    text: eventText(e),
    detail: JSON.stringify(detail),
    benign: isBenign(e.src_ip) || e.benign === true ? 1 : 0,
  };
}

/** What search matches for an event: its command, or its request line. */
function eventText(e: SensorEvent): string | null {
  if (typeof e.command === "string") return e.command;
  if (typeof e.method === "string" && typeof e.path === "string") return `${e.method} ${e.path}`;
  return null;
}

function toAttackerValues(t: AttackerTotals) {
  return {
    ip: t.ip,
    first_seen: t.firstSeen,
    last_seen: t.lastSeen,
    event_count: t.eventCount,
    credential_count: t.credentialCount,
    command_count: t.commandCount,
    rollup: JSON.stringify(t.rollup),
  };
}

/** An `attackers` row as stored, JSON decoded (shared with the fingerprint and campaign repositories). */
export function fromAttackerRow(row: Selectable<AttackersTable>): AttackerRow {
  return {
    id: Number(row.id),
    ip: row.ip,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    eventCount: Number(row.event_count),
    credentialCount: Number(row.credential_count),
    commandCount: Number(row.command_count),
    rollup: JSON.parse(row.rollup),
    // Absent (not null) when the sniffer never saw it, as the rollup fold returns totals.
    ...(row.tcp_fingerprint ? { tcpFingerprint: JSON.parse(row.tcp_fingerprint) } : {}),
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** `column` contains `text` literally, on SQLite and MySQL alike (one escape character both take). */
function contains(column: string, text: string) {
  const pattern = `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
  return sql<boolean>`${sql.ref(column)} like ${pattern} escape '!'`;
}
