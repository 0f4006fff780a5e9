import type { AlertChannelRecord, AlertDeliveryRecord, AlertsRepository } from "../db/mod.ts";
import type { Logger } from "../log/mod.ts";
import { restartDelayMs } from "../workers/restart_backoff.ts";
import type { Alert } from "./alert.ts";
import type { AlertChannel, ChannelConfig } from "./alert_channel.ts";
import { ChannelConfigError, parseChannelConfig } from "./alert_channel.ts";
import { ChannelError } from "./channel_error.ts";

/** Opens the channel that delivers to `config` (the channel implementations' factory). */
export type OpenAlertChannel = (config: ChannelConfig) => AlertChannel;

/** Options for {@linkcode AlertDelivery}. */
export interface AlertDeliveryOptions {
  repository: AlertsRepository;
  openChannel: OpenAlertChannel;
  log: Logger;
  /** Consecutive failures that disable a channel. @default 10 */
  disableAfter?: number;
  /** Backoff of one delivery's attempts. @default { baseMs: 1000, maxMs: 600000 } */
  retry?: { baseMs?: number; maxMs?: number };
  /** Longest idle wait between two looks at the outbox (alerts queued by another process). @default 5000 */
  idleMs?: number;
  /** Deliveries read per pass. @default 100 */
  batchSize?: number;
  now?: () => Date;
  random?: () => number;
}

/** Figures for the worker's heartbeat. */
export interface AlertDeliveryStats {
  delivered: number;
  failed_attempts: number;
  channels_disabled: number;
  last_error: string | null;
}

/**
 * Delivers the outbox: each pending alert to its channel, oldest first, one
 * at a time per channel (channels side by side), at least once. A failure
 * the channel calls retryable is tried again with exponential backoff up to
 * a cap; any other is given up (kept in the outbox as failed). Every failure
 * counts against the channel, which is disabled after `disableAfter` in a
 * row, with the reason stored. Channels are reopened when their settings
 * change.
 *
 * @example
 * ```ts
 * import type { AlertsRepository } from "../db/mod.ts";
 * import type { Logger } from "../log/mod.ts";
 * import { AlertDelivery, type OpenAlertChannel } from "./alert_delivery.ts";
 * declare const repository: AlertsRepository;
 * declare const openChannel: OpenAlertChannel;
 * declare const log: Logger;
 * await using delivery = new AlertDelivery({ repository, openChannel, log });
 * delivery.start();
 * delivery.wake(); // after queueing alerts
 * ```
 */
export class AlertDelivery implements AsyncDisposable {
  readonly #options: AlertDeliveryOptions;
  readonly #stop = new AbortController();
  readonly #open = new Map<number, { updatedAt: string; channel: AlertChannel }>();
  readonly #stats: AlertDeliveryStats = {
    delivered: 0,
    failed_attempts: 0,
    channels_disabled: 0,
    last_error: null,
  };
  #wake: (() => void) | null = null;
  #woken = false;
  #loop: Promise<void> | null = null;

  constructor(options: AlertDeliveryOptions) {
    this.#options = options;
  }

  /** Starts the delivery loop. */
  start(): void {
    this.#loop ??= this.#run().catch((e) =>
      this.#options.log.error("delivery loop ended", { error: String(e) })
    );
  }

  /** Looks at the outbox now (new alerts were queued, or a channel was enabled). */
  wake(): void {
    this.#woken = true;
    this.#wake?.();
  }

  stats(): AlertDeliveryStats {
    return { ...this.#stats };
  }

  /** Stops after the sends in progress and closes every open channel. */
  async close(): Promise<void> {
    this.#stop.abort();
    this.wake();
    await this.#loop;
    for (const { channel } of this.#open.values()) await channel.close().catch(() => {});
    this.#open.clear();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #run(): Promise<void> {
    const { repository, log } = this.#options;
    const now = this.#options.now ?? (() => new Date());
    while (!this.#stop.signal.aborted) {
      this.#woken = false;
      let idle = this.#options.idleMs ?? 5000;
      try {
        const due = await repository.dueDeliveries(now(), this.#options.batchSize ?? 100);
        if (due.length > 0) {
          await this.#deliver(due);
          continue;
        }
        const next = await repository.nextDueAt();
        if (next) idle = Math.min(idle, Math.max(0, next.getTime() - now().getTime()));
      } catch (e) {
        // The database is down: the alarm reports that; try again shortly.
        log.warn("cannot read the alert outbox", {
          error: e instanceof Error ? e.message : String(e),
        });
        idle = Math.min(idle, 2000);
      }
      if (!this.#woken) await this.#sleep(idle);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }

  async #deliver(due: AlertDeliveryRecord[]): Promise<void> {
    const channels = new Map((await this.#options.repository.listChannels()).map((c) => [c.id, c]));
    const byChannel = new Map<number, AlertDeliveryRecord[]>();
    for (const d of due) byChannel.set(d.channel_id, [...byChannel.get(d.channel_id) ?? [], d]);
    await Promise.all([...byChannel].map(async ([id, deliveries]) => {
      const record = channels.get(id);
      if (!record?.enabled) return;
      for (const delivery of deliveries) {
        if (this.#stop.signal.aborted || !await this.#attempt(record, delivery)) break;
      }
    }));
  }

  /** One attempt; false when it failed (the channel's later alerts wait their turn). */
  async #attempt(record: AlertChannelRecord, delivery: AlertDeliveryRecord): Promise<boolean> {
    const { repository, log } = this.#options;
    const now = this.#options.now ?? (() => new Date());
    try {
      await this.#channel(record).send(delivery.payload as Alert, this.#stop.signal);
    } catch (e) {
      const error = e instanceof ChannelError ? e : undefined;
      const reason = error?.reason ?? (e instanceof Error ? e.message : String(e));
      // Settings that no longer parse will not parse on a retry either.
      const retryable = error ? error.retryable : !(e instanceof ChannelConfigError);
      const delay = restartDelayMs(delivery.attempts + 1, this.#options.random ?? Math.random, {
        baseMs: this.#options.retry?.baseMs ?? 1000,
        maxMs: this.#options.retry?.maxMs ?? 600_000,
      });
      const disabled = await repository.markFailed(delivery, {
        error: reason,
        retryAt: retryable ? new Date(now().getTime() + delay) : null,
        disableAfter: this.#options.disableAfter ?? 10,
      });
      this.#stats.failed_attempts++;
      this.#stats.last_error = `${record.name}: ${reason}`;
      log.warn("alert not delivered", {
        channel: record.name,
        alert: delivery.alert_id,
        attempt: delivery.attempts + 1,
        error: reason,
        retry_in_ms: retryable ? delay : null,
      });
      if (disabled) {
        this.#stats.channels_disabled++;
        log.error("alert channel disabled after repeated failures", {
          channel: record.name,
          error: reason,
        });
      }
      return false;
    }
    await repository.markDelivered(delivery);
    this.#stats.delivered++;
    log.info("alert delivered", { channel: record.name, alert: delivery.alert_id });
    return true;
  }

  #channel(record: AlertChannelRecord): AlertChannel {
    const open = this.#open.get(record.id);
    if (open?.updatedAt === record.updated_at) return open.channel;
    if (open) open.channel.close().catch(() => {});
    const channel = this.#options.openChannel(parseChannelConfig(record.config));
    this.#open.set(record.id, { updatedAt: record.updated_at, channel });
    return channel;
  }
}
