import type { Bus, BusMessage, ControlPayload, Subscription } from "../bus/mod.ts";
import { controlTopic, TOPIC_PATTERNS } from "../bus/mod.ts";
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
import { alertEventOf } from "./alert_event_of.ts";
import type { AlertSource } from "./alert_sources.ts";
import { forwardedAlert } from "./forwarded_alert.ts";
import { ALERTS_CHANGED_TOPIC } from "./alerts_changed_topic.ts";
import { applyAlertEvaluation } from "./apply_alert_evaluation.ts";
import { closeAlertWindows } from "./close_alert_windows.ts";
import { evaluateAlertRules } from "./evaluate_alert_rules.ts";
import { windowKey } from "./_alert_windows.ts";

/** Rows of a source evaluated and stored per transaction. */
const SOURCE_BATCH = 500;
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
   * The stored streams (canary triggers, attackers, credentials, domain
   * events, and the feeds' records): each is read from the database by id
   * from its own cursor (a bus message on its `wakeOn` only wakes the
   * reader), so none is missed while the worker restarts or counted twice.
   * Only worker health comes from the bus alone.
   */
  sources?: readonly AlertSource[];
  /**
   * Workers asked at start to report their health (the supervisor answers
   * for one that is restarting), so a failure announced while this worker
   * was down is not missed.
   */
  peers?: readonly string[];
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
  readonly #due = new Set<AlertSource>();
  readonly #cursors = new Map<AlertSource, number>();
  #draining = false;
  #subscriptions: Subscription[] = [];
  #wake: (() => void) | null = null;
  #loop: Promise<void> | null = null;

  constructor(options: AlertIntakeOptions) {
    this.#options = options;
  }

  /** Reads the rules, open windows and cursors, then follows the bus. */
  async start(): Promise<void> {
    await this.#load();
    const { repository, bus } = this.#options;
    const sources = this.#options.sources ?? [];
    for (const source of sources) {
      const stored = await repository.cursor(source.stream);
      this.#cursors.set(source, stored ?? await source.newest());
      // Stored at once: a row arriving before the first commit is not skipped by a restart.
      if (stored === undefined) {
        await this.#commit(EMPTY, [{
          stream: source.stream,
          position: this.#cursors.get(source)!,
        }]);
      }
      this.#due.add(source);
    }
    const on = (pattern: string, handle: (message: BusMessage) => void) =>
      bus.subscribe(pattern, (message) => {
        handle(message);
        this.#wake?.();
      });
    this.#subscriptions = [
      on(ALERTS_CHANGED_TOPIC, () => this.#reload = true),
      on(TOPIC_PATTERNS.health, (message) => {
        this.#pending.push(message);
        const max = this.#options.maxPending ?? 10_000;
        if (this.#pending.length > max) {
          this.#stats.dropped += this.#pending.splice(0, this.#pending.length - max).length;
        }
      }),
      // A feed nobody takes is skipped to its end on the tick, not on every message (a flood of
      // sensor events would otherwise cost a write each).
      ...sources.flatMap((source) =>
        source.wakeOn.map((pattern) =>
          on(pattern, () => {
            if (source.rules || this.#feedChannels(source).length > 0) this.#due.add(source);
          })
        )
      ),
    ];
    const request: ControlPayload = { action: "report", at: new Date().toISOString() };
    for (const peer of this.#options.peers ?? []) bus.publish(controlTopic(peer), request);
    this.#options.log.info("alert intake started", {
      rules: this.#rules.length,
      channels: this.#channels.length,
      cursors: sources.map((s) => `${s.stream}=${this.#cursors.get(s)}`).join(","),
    });
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
          // Also a safety net for a wake-up the bus lost (or never carried: the bus was down).
          for (const source of this.#options.sources ?? []) this.#due.add(source);
        }
        const source = this.#due.values().next().value;
        if (source) {
          if (!await this.#readSource(source)) this.#due.delete(source);
          continue;
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

  /** Evaluates a health message, once per worker failure (a re-announced one is skipped). */
  async #handle(message: BusMessage): Promise<void> {
    const event = alertEventOf(message, { dashboardUrl: this.#options.dashboardUrl });
    if (!event) return;
    const stream = `health:${event.keys.worker}`;
    const at = Date.parse(event.occurred_at);
    if (Number.isNaN(at) || at <= (await this.#options.repository.cursor(stream) ?? -1)) return;
    this.#stats.events++;
    const now = this.#options.now?.() ?? new Date();
    await this.#commit(
      evaluateAlertRules(this.#rules, event, { windows: this.#windows, now }),
      [{ stream, position: at }],
    );
  }

  /** Ids of the enabled channels that take the feed `source` belongs to. */
  #feedChannels(source: AlertSource): number[] {
    if (source.feed === undefined) return [];
    return this.#channels.filter((c) => c.enabled && c.config[source.feed!] === true)
      .map((c) => c.id);
  }

  /** Handles the next batch of a source's stored rows; true when more may follow. */
  async #readSource(source: AlertSource): Promise<boolean> {
    const cursor = this.#cursors.get(source)!;
    const feedChannels = this.#feedChannels(source);
    if (!source.rules && feedChannels.length === 0) {
      // Nobody takes this feed: skip to its end, so a channel that asks later starts from then.
      const newest = await source.newest();
      if (newest > cursor) {
        await this.#commit(EMPTY, [{ stream: source.stream, position: newest }]);
        this.#cursors.set(source, newest);
      }
      return false;
    }
    const rows = await source.after(cursor, SOURCE_BATCH);
    if (!rows.length) return false;
    const now = this.#options.now?.() ?? new Date();
    // Evaluated against a copy: the windows change only once the batch is stored.
    const windows = new Map(this.#windows);
    const batch: AlertEvaluation = { alerts: [], throttle: [], clear: [] };
    for (const { position, message } of rows) {
      if (!message) continue;
      if (feedChannels.length > 0) {
        batch.alerts.push({
          alert: forwardedAlert(message, { feed: source.feed!, stream: source.stream, position }),
          channel_ids: feedChannels,
        });
      }
      if (!source.rules) continue;
      const event = alertEventOf(message, { dashboardUrl: this.#options.dashboardUrl });
      if (!event) continue;
      this.#stats.events++;
      const full = this.#options.enrich ? await this.#options.enrich(event) : event;
      const evaluation = evaluateAlertRules(this.#rules, full, { windows, now });
      applyAlertEvaluation(windows, evaluation);
      batch.alerts.push(...evaluation.alerts);
      batch.throttle.push(...evaluation.throttle);
    }
    const position = rows[rows.length - 1].position;
    await this.#commit(batch, [{ stream: source.stream, position }]);
    this.#cursors.set(source, position);
    return rows.length === SOURCE_BATCH;
  }

  async #commit(
    evaluation: AlertEvaluation,
    cursors: { stream: string; position: number }[] = [],
  ): Promise<void> {
    const empty = !evaluation.alerts.length && !evaluation.throttle.length &&
      !evaluation.clear.length;
    if (empty && cursors.length === 0) return;
    // A window changed twice in one batch is stored as it ended up.
    const throttle = [
      ...new Map(evaluation.throttle.map((w) => [windowKey(w.rule_id, w.dedupe_key), w])).values(),
    ];
    const added = await this.#options.repository.commitAlerts({
      throttle,
      clear: evaluation.clear,
      cursors,
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
