import type { Bus, BusMessage, CanaryTriggeredPayload, Subscription } from "../bus/mod.ts";
import { canaryTopic, parseTopic } from "../bus/mod.ts";
import type {
  AlertChannelRecord,
  AlertRuleRecord,
  AlertsRepository,
  AlertThrottleRecord,
} from "../db/mod.ts";
import type { Logger } from "../log/mod.ts";
import { abortableSleep } from "../abortable_sleep.ts";
import type { AlertEvaluation } from "./_alert_windows.ts";
import type { AlertEvent } from "./alert_event.ts";
import { ALERT_EVENT_PATTERNS, alertEventOf } from "./alert_event_of.ts";
import { ALERTS_CHANGED_TOPIC } from "./alerts_changed_topic.ts";
import { applyAlertEvaluation } from "./apply_alert_evaluation.ts";
import { closeAlertWindows } from "./close_alert_windows.ts";
import { evaluateAlertRules } from "./evaluate_alert_rules.ts";
import { windowKey } from "./_alert_windows.ts";

/** The `alert_cursors` stream of the stored canary triggers. */
const TRIGGER_STREAM = "canary_triggers";
/** Triggers evaluated and stored per transaction. */
const TRIGGER_BATCH = 500;
const EMPTY: AlertEvaluation = Object.freeze({ alerts: [], throttle: [], clear: [] });

/** Options for {@linkcode AlertIntake}. */
export interface AlertIntakeOptions {
  repository: AlertsRepository;
  bus: Bus;
  log: Logger;
  /** DECNET_DASHBOARD_URL, for links in alerts. */
  dashboardUrl: string;
  /** Called once alerts were queued in the outbox. */
  onQueued(): void;
  /**
   * The stored canary triggers: when given, they are evaluated from the
   * database by id (a `canary.*.triggered` message only wakes the reader),
   * so none is missed while the worker restarts or counted twice.
   */
  triggers?: {
    /** Up to `limit` triggers after row `id`, oldest first, as the bus carries them. */
    after(id: number, limit: number): Promise<CanaryTriggeredPayload[]>;
    /** The newest trigger's id (0 when none): where a first start begins. */
    newest(): Promise<number>;
  };
  /** Completes an event from stored records (where a token was planted). */
  enrich?(event: AlertEvent): Promise<AlertEvent>;
  /** Between looks for throttle and digest windows that ended. @default 5000 */
  tickMs?: number;
  /** Between rereads of rules and channels (changes made without the bus, e.g. by the CLI). @default 30000 */
  reloadMs?: number;
  /** Called when a reread finds the channels changed. */
  onChannelsChanged?(): void;
  /** Bus messages held while the database is down; beyond, the oldest are dropped. @default 10000 */
  maxPending?: number;
  now?: () => Date;
}

/** Figures for the worker's heartbeat. */
export interface AlertIntakeStats {
  events: number;
  queued: number;
  pending: number;
  dropped: number;
}

/**
 * Turns bus messages into queued alerts: each message that stands for an
 * alert event is evaluated against the rules, and the alerts and throttle
 * windows it decides are stored in one transaction. Messages are handled
 * one at a time in arrival order; while the database is down they wait in
 * memory (bounded) and are retried. Windows that end are closed on a
 * timer. Rules and channels are reread when `alerts.config.changed`
 * arrives, and every `reloadMs` (for changes made without the bus).
 *
 * @example
 * ```ts
 * import type { Bus } from "../bus/mod.ts";
 * import type { AlertsRepository } from "../db/mod.ts";
 * import type { Logger } from "../log/mod.ts";
 * import { AlertIntake } from "./alert_intake.ts";
 * declare const repository: AlertsRepository;
 * declare const bus: Bus;
 * declare const log: Logger;
 * await using intake = new AlertIntake({ repository, bus, log, dashboardUrl: "", onQueued: () => {} });
 * await intake.start();
 * ```
 */
export class AlertIntake implements AsyncDisposable {
  readonly #options: AlertIntakeOptions;
  readonly #stop = new AbortController();
  readonly #pending: BusMessage[] = [];
  readonly #windows = new Map<string, AlertThrottleRecord>();
  readonly #stats: AlertIntakeStats = { events: 0, queued: 0, pending: 0, dropped: 0 };
  #rules: AlertRuleRecord[] = [];
  #channels: AlertChannelRecord[] = [];
  #channelsSignature = "";
  #reload = false;
  #triggersDue = false;
  #triggerCursor = 0;
  #draining = false;
  #subscriptions: Subscription[] = [];
  #wake: (() => void) | null = null;
  #loop: Promise<void> | null = null;

  constructor(options: AlertIntakeOptions) {
    this.#options = options;
  }

  /** Reads the rules and open windows, then follows the bus. */
  async start(): Promise<void> {
    await this.#load();
    const { triggers, repository } = this.#options;
    if (triggers) {
      const stored = await repository.cursor(TRIGGER_STREAM);
      this.#triggerCursor = stored ?? await triggers.newest();
      // Stored at once: a trigger arriving before the first commit is not skipped by a restart.
      if (stored === undefined) await this.#commit(EMPTY, this.#triggerCursor);
      this.#triggersDue = true;
    }
    const receive = (message: BusMessage) => {
      if (message.topic === ALERTS_CHANGED_TOPIC) this.#reload = true;
      else if (triggers && parseTopic(message.topic)?.family === "canary") this.#triggersDue = true;
      else {
        this.#pending.push(message);
        const max = this.#options.maxPending ?? 10_000;
        if (this.#pending.length > max) {
          this.#stats.dropped += this.#pending.splice(0, this.#pending.length - max).length;
        }
      }
      this.#wake?.();
    };
    this.#subscriptions = [...ALERT_EVENT_PATTERNS, ALERTS_CHANGED_TOPIC].map((pattern) =>
      this.#options.bus.subscribe(pattern, receive)
    );
    this.#loop = this.#run();
  }

  /** Channels and rules as last read (the database-down alarm routes by them). */
  targets(): { channels: readonly AlertChannelRecord[]; rules: readonly AlertRuleRecord[] } {
    return { channels: this.#channels, rules: this.#rules };
  }

  stats(): AlertIntakeStats {
    return { ...this.#stats, pending: this.#pending.length };
  }

  /**
   * Stops following the bus and ends once the messages already received are
   * stored (or at once, with the message in hand, while the database is down).
   */
  async close(): Promise<void> {
    for (const s of this.#subscriptions) s.unsubscribe();
    this.#draining = true;
    this.#stop.abort();
    this.#wake?.();
    await this.#loop;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #load(): Promise<void> {
    const { repository } = this.#options;
    this.#rules = await repository.listRules();
    const before = this.#channelsSignature;
    this.#channels = await repository.listChannels();
    this.#channelsSignature = JSON.stringify(
      this.#channels.map((c) => [c.id, c.updated_at, c.enabled]),
    );
    if (before !== "" && before !== this.#channelsSignature) this.#options.onChannelsChanged?.();
    this.#windows.clear();
    for (const w of await repository.listThrottle()) {
      this.#windows.set(windowKey(w.rule_id, w.dedupe_key), w);
    }
  }

  async #run(): Promise<void> {
    const { log } = this.#options;
    const now = this.#options.now ?? (() => new Date());
    const tickMs = this.#options.tickMs ?? 5000;
    let nextTick = 0;
    let nextReload = Date.now() + (this.#options.reloadMs ?? 30_000);
    while (!(this.#draining && this.#pending.length === 0)) {
      try {
        if (this.#reload || Date.now() >= nextReload) {
          nextReload = Date.now() + (this.#options.reloadMs ?? 30_000);
          this.#reload = false;
          await this.#load();
          log.info("alert rules reloaded", { rules: this.#rules.length });
        }
        if (Date.now() >= nextTick) {
          await this.#commit(closeAlertWindows(this.#rules, this.#windows.values(), now()));
          nextTick = Date.now() + tickMs;
          // Also a safety net for a wake-up the bus lost.
          this.#triggersDue = this.#options.triggers !== undefined;
        }
        if (this.#triggersDue) {
          this.#triggersDue = await this.#readTriggers();
          if (this.#triggersDue) continue;
        }
        const message = this.#pending[0];
        if (message) {
          await this.#handle(message);
          this.#pending.shift();
          continue;
        }
      } catch (e) {
        // Kept in hand: retried once the database answers again (unless stopping).
        log.warn("cannot store alerts", { error: e instanceof Error ? e.message : String(e) });
        if (this.#draining) break;
        await abortableSleep(1000, this.#stop.signal);
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.max(0, Math.min(nextTick, nextReload) - Date.now()));
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.#wake = done;
      });
      this.#wake = null;
    }
  }

  async #handle(message: BusMessage): Promise<void> {
    const event = alertEventOf(message, { dashboardUrl: this.#options.dashboardUrl });
    if (!event) return;
    this.#stats.events++;
    const full = this.#options.enrich ? await this.#options.enrich(event) : event;
    const now = this.#options.now?.() ?? new Date();
    await this.#commit(evaluateAlertRules(this.#rules, full, { windows: this.#windows, now }));
  }

  /** Evaluates the next batch of stored triggers; true when more may follow. */
  async #readTriggers(): Promise<boolean> {
    const rows = await this.#options.triggers!.after(this.#triggerCursor, TRIGGER_BATCH);
    if (!rows.length) return false;
    const now = this.#options.now?.() ?? new Date();
    // Evaluated against a copy: the windows change only once the batch is stored.
    const windows = new Map(this.#windows);
    const batch: AlertEvaluation = { alerts: [], throttle: [], clear: [] };
    for (const row of rows) {
      const event = alertEventOf(
        { topic: canaryTopic(row.token_uuid, "triggered"), payload: row },
        { dashboardUrl: this.#options.dashboardUrl },
      );
      if (!event) continue;
      this.#stats.events++;
      const full = this.#options.enrich ? await this.#options.enrich(event) : event;
      const evaluation = evaluateAlertRules(this.#rules, full, { windows, now });
      applyAlertEvaluation(windows, evaluation);
      batch.alerts.push(...evaluation.alerts);
      batch.throttle.push(...evaluation.throttle);
    }
    const position = rows[rows.length - 1].id;
    await this.#commit(batch, position);
    this.#triggerCursor = position;
    return rows.length === TRIGGER_BATCH;
  }

  async #commit(evaluation: AlertEvaluation, triggerPosition?: number): Promise<void> {
    const empty = !evaluation.alerts.length && !evaluation.throttle.length &&
      !evaluation.clear.length;
    if (empty && triggerPosition === undefined) return;
    // A window changed twice in one batch is stored as it ended up.
    const throttle = [
      ...new Map(evaluation.throttle.map((w) => [windowKey(w.rule_id, w.dedupe_key), w])).values(),
    ];
    const added = await this.#options.repository.commitAlerts({
      throttle,
      clear: evaluation.clear,
      ...(triggerPosition === undefined
        ? {}
        : { cursor: { stream: TRIGGER_STREAM, position: triggerPosition } }),
      alerts: evaluation.alerts.map((a) => ({
        alert_id: a.alert.id,
        channel_ids: a.channel_ids,
        payload: a.alert,
      })),
    });
    applyAlertEvaluation(this.#windows, evaluation);
    if (added > 0) {
      this.#stats.queued += added;
      this.#options.log.info("alerts queued", {
        alerts: evaluation.alerts.map((a) => `${a.alert.kind}:${a.alert.id}`).join(","),
      });
      this.#options.onQueued();
    }
  }
}
