import type { Kysely, Selectable, Transaction } from "kysely";
import type {
  AlertChannelsTable,
  AlertOutboxTable,
  AlertRulesTable,
  AlertThrottleTable,
  Database,
} from "../schema.ts";
import { type Clock, isoTime, systemClock } from "../clock.ts";

/** A stored alert channel, its config parsed (secrets included: the API masks them). */
export interface AlertChannelRecord {
  id: number;
  name: string;
  kind: string;
  config: Record<string, unknown>;
  enabled: boolean;
  consecutive_failures: number;
  disabled_reason: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

/** What an alert rule holds, as created or replaced. */
export interface AlertRuleInput {
  name: string;
  events: string[];
  filter_token: string | null;
  filter_decky: string | null;
  filter_kind: string | null;
  severity: string;
  throttle_seconds: number;
  dedupe_by: string[];
  digest_seconds: number;
  channel_ids: number[];
  enabled: boolean;
}

/** A stored alert rule. */
export interface AlertRuleRecord extends AlertRuleInput {
  id: number;
  created_at: string;
  updated_at: string;
}

/** The throttle or digest window of one rule and dedupe key. */
export interface AlertThrottleRecord {
  rule_id: number;
  dedupe_key: string;
  window_start: string;
  window_end: string | null;
  suppressed: number;
  digest: unknown;
}

/** Delivery states of an outbox row. */
export type AlertDeliveryState = "pending" | "delivered" | "failed";

/** One alert for one channel in the outbox. */
export interface AlertDeliveryRecord {
  id: number;
  alert_id: string;
  channel_id: number;
  payload: unknown;
  attempts: number;
  next_attempt_at: string;
  state: AlertDeliveryState;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

/** What one evaluation of the rules changed: stored together, or not at all. */
export interface AlertBatch {
  /** Throttle windows to write (replacing the same rule and key). */
  throttle: AlertThrottleRecord[];
  /** Throttle windows to forget (closed with nothing held back). */
  clear?: { rule_id: number; dedupe_key: string }[];
  /** Alerts to deliver; an alert id already queued for a channel is not queued again. */
  alerts: { alert_id: string; channel_ids: number[]; payload: unknown }[];
  /** Stream positions the decisions cover, moved with them. */
  cursors?: { stream: string; position: number }[];
}

/** Options for {@linkcode AlertsRepository}. */
export interface AlertsRepositoryOptions {
  clock?: Clock;
}

/**
 * Alert channels, rules, throttle windows, stream cursors and the delivery outbox.
 *
 * @example
 * ```ts
 * import type { DbHandle } from "../db_handle.ts";
 * import { AlertsRepository } from "./alerts_repository.ts";
 * declare const handle: DbHandle;
 * const alerts = new AlertsRepository(handle.db);
 * const channel = await alerts.createChannel({ name: "siem", kind: "file", config: { path: "/var/log/a" } });
 * ```
 */
export class AlertsRepository {
  readonly #db: Kysely<Database>;
  readonly #clock: Clock;

  constructor(db: Kysely<Database>, options: AlertsRepositoryOptions = {}) {
    this.#db = db;
    this.#clock = options.clock ?? systemClock;
  }

  /** Every channel, by id. */
  async listChannels(): Promise<AlertChannelRecord[]> {
    const rows = await this.#db.selectFrom("alert_channels").selectAll().orderBy("id").execute();
    return rows.map(fromChannelRow);
  }

  async getChannel(id: number): Promise<AlertChannelRecord | undefined> {
    const row = await this.#db.selectFrom("alert_channels").selectAll().where("id", "=", id)
      .executeTakeFirst();
    return row && fromChannelRow(row);
  }

  /** Adds an enabled channel; the name must be free (unique constraint). */
  async createChannel(
    input: { name: string; kind: string; config: Record<string, unknown> },
  ): Promise<AlertChannelRecord> {
    const now = isoTime(this.#clock());
    const result = await this.#db.insertInto("alert_channels").values({
      name: input.name,
      kind: input.kind,
      config: JSON.stringify(input.config),
      enabled: 1,
      consecutive_failures: 0,
      disabled_reason: null,
      last_error: null,
      created_at: now,
      updated_at: now,
    }).executeTakeFirstOrThrow();
    return (await this.getChannel(Number(result.insertId)))!;
  }

  /**
   * Changes a channel's name, type and config, or enabled flag. Enabling it (again)
   * clears its failure count and the reason it was disabled.
   *
   * @returns the channel after the change, or undefined when there is none
   */
  async updateChannel(
    id: number,
    patch: { name?: string; kind?: string; config?: Record<string, unknown>; enabled?: boolean },
  ): Promise<AlertChannelRecord | undefined> {
    const values: Partial<Selectable<AlertChannelsTable>> = {
      updated_at: isoTime(this.#clock()),
    };
    if (patch.name !== undefined) values.name = patch.name;
    if (patch.kind !== undefined) values.kind = patch.kind;
    if (patch.config !== undefined) values.config = JSON.stringify(patch.config);
    if (patch.enabled !== undefined) {
      values.enabled = patch.enabled ? 1 : 0;
      if (patch.enabled) Object.assign(values, { consecutive_failures: 0, disabled_reason: null });
    }
    await this.#db.updateTable("alert_channels").set(values).where("id", "=", id).execute();
    return await this.getChannel(id);
  }

  /** Removes a channel and its undelivered alerts; false when there was none. */
  async deleteChannel(id: number): Promise<boolean> {
    return await this.#db.transaction().execute(async (trx) => {
      await trx.deleteFrom("alert_outbox").where("channel_id", "=", id)
        .where("state", "=", "pending").execute();
      const result = await trx.deleteFrom("alert_channels").where("id", "=", id)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  /** Names of the rules that send to channel `id`. */
  async rulesUsingChannel(id: number): Promise<string[]> {
    return (await this.listRules()).filter((r) => r.channel_ids.includes(id)).map((r) => r.name);
  }

  /** Every rule, by id. */
  async listRules(): Promise<AlertRuleRecord[]> {
    const rows = await this.#db.selectFrom("alert_rules").selectAll().orderBy("id").execute();
    return rows.map(fromRuleRow);
  }

  async getRule(id: number): Promise<AlertRuleRecord | undefined> {
    const row = await this.#db.selectFrom("alert_rules").selectAll().where("id", "=", id)
      .executeTakeFirst();
    return row && fromRuleRow(row);
  }

  /** Adds a rule; the name must be free (unique constraint). */
  async createRule(input: AlertRuleInput): Promise<AlertRuleRecord> {
    const now = isoTime(this.#clock());
    const result = await this.#db.insertInto("alert_rules").values({
      ...toRuleValues(input),
      created_at: now,
      updated_at: now,
    }).executeTakeFirstOrThrow();
    return (await this.getRule(Number(result.insertId)))!;
  }

  /**
   * Replaces a rule; its throttle windows start afresh (they were counted
   * under the old filters).
   */
  async replaceRule(id: number, input: AlertRuleInput): Promise<AlertRuleRecord | undefined> {
    await this.#db.transaction().execute(async (trx) => {
      await trx.updateTable("alert_rules")
        .set({ ...toRuleValues(input), updated_at: isoTime(this.#clock()) })
        .where("id", "=", id).execute();
      await trx.deleteFrom("alert_throttle").where("rule_id", "=", id).execute();
    });
    return await this.getRule(id);
  }

  /** Removes a rule and its throttle windows; false when there was none. */
  async deleteRule(id: number): Promise<boolean> {
    return await this.#db.transaction().execute(async (trx) => {
      await trx.deleteFrom("alert_throttle").where("rule_id", "=", id).execute();
      const result = await trx.deleteFrom("alert_rules").where("id", "=", id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  /** Every open throttle and digest window. */
  async listThrottle(): Promise<AlertThrottleRecord[]> {
    const rows = await this.#db.selectFrom("alert_throttle").selectAll()
      .orderBy("rule_id").orderBy("dedupe_key").execute();
    return rows.map(fromThrottleRow);
  }

  /**
   * Stores what one evaluation decided in one transaction: the throttle
   * windows and the alerts they let through, so a crash either keeps both
   * or neither. An alert id already in the outbox for a channel is skipped.
   *
   * @returns the outbox rows added
   */
  async commitAlerts(batch: AlertBatch): Promise<number> {
    const now = isoTime(this.#clock());
    return await this.#db.transaction().execute(async (trx) => {
      for (const w of batch.clear ?? []) await deleteWindow(trx, w);
      for (const w of batch.throttle) {
        // Delete then insert: an unchanged update reports 0 rows on MySQL, so update-or-insert cannot tell.
        await deleteWindow(trx, w);
        await trx.insertInto("alert_throttle").values({
          ...w,
          digest: w.digest === null || w.digest === undefined ? null : JSON.stringify(w.digest),
        }).execute();
      }
      for (const cursor of batch.cursors ?? []) {
        await trx.deleteFrom("alert_cursors").where("stream", "=", cursor.stream).execute();
        await trx.insertInto("alert_cursors").values({ ...cursor, updated_at: now })
          .execute();
      }
      let added = 0;
      for (const alert of batch.alerts) {
        if (alert.channel_ids.length === 0) continue;
        const queued = new Set(
          (await trx.selectFrom("alert_outbox").select("channel_id")
            .where("alert_id", "=", alert.alert_id).execute()).map((r) => Number(r.channel_id)),
        );
        const payload = JSON.stringify(alert.payload);
        for (const channelId of new Set(alert.channel_ids)) {
          if (queued.has(channelId)) continue;
          await trx.insertInto("alert_outbox").values({
            alert_id: alert.alert_id,
            channel_id: channelId,
            payload,
            attempts: 0,
            next_attempt_at: now,
            state: "pending",
            last_error: null,
            created_at: now,
            delivered_at: null,
          }).execute();
          added++;
        }
      }
      return added;
    });
  }

  /** How far `stream` was evaluated, or undefined before its first commit. */
  async cursor(stream: string): Promise<number | undefined> {
    const row = await this.#db.selectFrom("alert_cursors").select("position")
      .where("stream", "=", stream).executeTakeFirst();
    return row === undefined ? undefined : Number(row.position);
  }

  /**
   * Pending deliveries due by `now` to enabled channels, oldest first. A
   * channel's alerts keep their order: none is due while an older one of
   * the same channel waits for its retry.
   */
  async dueDeliveries(now: Date, limit: number): Promise<AlertDeliveryRecord[]> {
    const at = isoTime(now);
    const rows = await this.#db.selectFrom("alert_outbox")
      .innerJoin("alert_channels", "alert_channels.id", "alert_outbox.channel_id")
      .selectAll("alert_outbox")
      .where("alert_outbox.state", "=", "pending")
      .where("alert_outbox.next_attempt_at", "<=", at)
      .where("alert_channels.enabled", "=", 1)
      .where(({ not, exists, selectFrom }) =>
        not(exists(
          selectFrom("alert_outbox as older").select("older.id")
            .whereRef("older.channel_id", "=", "alert_outbox.channel_id")
            .whereRef("older.id", "<", "alert_outbox.id")
            .where("older.state", "=", "pending")
            .where("older.next_attempt_at", ">", at),
        ))
      )
      .orderBy("alert_outbox.id").limit(limit).execute();
    return rows.map(fromOutboxRow);
  }

  /** When the next pending delivery to an enabled channel is due, or undefined. */
  async nextDueAt(): Promise<Date | undefined> {
    const row = await this.#db.selectFrom("alert_outbox")
      .innerJoin("alert_channels", "alert_channels.id", "alert_outbox.channel_id")
      .select((eb) => eb.fn.min("alert_outbox.next_attempt_at").as("at"))
      .where("alert_outbox.state", "=", "pending")
      .where("alert_channels.enabled", "=", 1)
      .executeTakeFirst();
    return row?.at ? new Date(String(row.at)) : undefined;
  }

  /** Marks a delivery done and resets its channel's failure count. */
  async markDelivered(delivery: { id: number; channel_id: number }): Promise<void> {
    const now = isoTime(this.#clock());
    await this.#db.transaction().execute(async (trx) => {
      await trx.updateTable("alert_outbox")
        .set((eb) => ({
          state: "delivered",
          delivered_at: now,
          attempts: eb("attempts", "+", 1),
          last_error: null,
        }))
        .where("id", "=", delivery.id).execute();
      await trx.updateTable("alert_channels")
        .set({ consecutive_failures: 0, last_error: null })
        .where("id", "=", delivery.channel_id).execute();
    });
  }

  /**
   * Records a failed attempt: the delivery is retried at `retryAt` (or
   * given up when null), and its channel's failure count grows; at
   * `disableAfter` consecutive failures the channel is disabled with the
   * error as the reason.
   *
   * @returns whether this failure disabled the channel
   */
  async markFailed(
    delivery: { id: number; channel_id: number },
    failure: { error: string; retryAt: Date | null; disableAfter: number },
  ): Promise<boolean> {
    const now = isoTime(this.#clock());
    return await this.#db.transaction().execute(async (trx) => {
      await trx.updateTable("alert_outbox")
        .set((eb) => ({
          state: failure.retryAt ? "pending" : "failed",
          attempts: eb("attempts", "+", 1),
          next_attempt_at: failure.retryAt ? isoTime(failure.retryAt) : now,
          last_error: failure.error,
        }))
        .where("id", "=", delivery.id).execute();
      const channel = await trx.selectFrom("alert_channels")
        .select(["consecutive_failures", "enabled"])
        .where("id", "=", delivery.channel_id).executeTakeFirst();
      if (!channel) return false;
      const failures = Number(channel.consecutive_failures) + 1;
      const disable = Number(channel.enabled) === 1 && failures >= failure.disableAfter;
      await trx.updateTable("alert_channels")
        .set({
          consecutive_failures: failures,
          last_error: failure.error,
          ...(disable
            ? {
              enabled: 0,
              disabled_reason: `${failures} consecutive failures; last: ${failure.error}`,
              updated_at: now,
            }
            : {}),
        })
        .where("id", "=", delivery.channel_id).execute();
      return disable;
    });
  }

  /**
   * Removes up to `limit` finished deliveries (delivered or given up)
   * queued before `before`, oldest first; pending ones stay whatever their age.
   *
   * @returns how many were removed
   */
  async pruneDeliveries(options: { before: Date; limit: number }): Promise<number> {
    const ids = (await this.#db.selectFrom("alert_outbox").select("id")
      .where("state", "!=", "pending").where("created_at", "<", isoTime(options.before))
      .orderBy("id").limit(options.limit).execute()).map((r) => r.id);
    if (ids.length === 0) return 0;
    const result = await this.#db.deleteFrom("alert_outbox").where("id", "in", ids)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Deliveries, newest first, optionally of one state, channel or alert, with the total. */
  async listDeliveries(
    filter: {
      state?: AlertDeliveryState;
      channelId?: number;
      alertId?: string;
      limit: number;
      offset: number;
    },
  ): Promise<{ items: AlertDeliveryRecord[]; total: number }> {
    let query = this.#db.selectFrom("alert_outbox");
    if (filter.alertId !== undefined) query = query.where("alert_id", "=", filter.alertId);
    if (filter.state !== undefined) query = query.where("state", "=", filter.state);
    if (filter.channelId !== undefined) query = query.where("channel_id", "=", filter.channelId);
    const [rows, count] = await Promise.all([
      query.selectAll().orderBy("id", "desc").limit(filter.limit).offset(filter.offset).execute(),
      query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(fromOutboxRow), total: Number(count.n) };
  }
}

async function deleteWindow(
  trx: Transaction<Database>,
  w: { rule_id: number; dedupe_key: string },
): Promise<void> {
  await trx.deleteFrom("alert_throttle").where("rule_id", "=", w.rule_id)
    .where("dedupe_key", "=", w.dedupe_key).execute();
}

function fromChannelRow(row: Selectable<AlertChannelsTable>): AlertChannelRecord {
  return {
    ...row,
    id: Number(row.id),
    config: JSON.parse(row.config),
    enabled: Number(row.enabled) === 1,
    consecutive_failures: Number(row.consecutive_failures),
  };
}

function toRuleValues(input: AlertRuleInput) {
  return {
    name: input.name,
    events: JSON.stringify(input.events),
    filter_token: input.filter_token,
    filter_decky: input.filter_decky,
    filter_kind: input.filter_kind,
    severity: input.severity,
    throttle_seconds: input.throttle_seconds,
    dedupe_by: input.dedupe_by.join(","),
    digest_seconds: input.digest_seconds,
    channel_ids: JSON.stringify(input.channel_ids),
    enabled: input.enabled ? 1 : 0,
  };
}

function fromRuleRow(row: Selectable<AlertRulesTable>): AlertRuleRecord {
  return {
    ...row,
    id: Number(row.id),
    events: JSON.parse(row.events),
    throttle_seconds: Number(row.throttle_seconds),
    dedupe_by: row.dedupe_by === "" ? [] : row.dedupe_by.split(","),
    digest_seconds: Number(row.digest_seconds),
    channel_ids: JSON.parse(row.channel_ids),
    enabled: Number(row.enabled) === 1,
  };
}

function fromThrottleRow(row: Selectable<AlertThrottleTable>): AlertThrottleRecord {
  return {
    ...row,
    rule_id: Number(row.rule_id),
    suppressed: Number(row.suppressed),
    digest: row.digest === null ? null : JSON.parse(row.digest),
  };
}

function fromOutboxRow(row: Selectable<AlertOutboxTable>): AlertDeliveryRecord {
  return {
    ...row,
    id: Number(row.id),
    channel_id: Number(row.channel_id),
    payload: JSON.parse(row.payload),
    attempts: Number(row.attempts),
    state: row.state as AlertDeliveryState,
  };
}
