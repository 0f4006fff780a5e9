import { dirname } from "node:path";
import type { AlertChannelRecord, AlertRuleRecord } from "../db/mod.ts";
import type { Logger } from "../log/mod.ts";
import { abortableSleep } from "../abortable_sleep.ts";
import type { Alert } from "./alert.ts";
import type { OpenAlertChannel } from "./alert_delivery.ts";
import { parseChannelConfig } from "./alert_channel.ts";

/** Options for {@linkcode DatabaseDownAlarm}. */
export interface DatabaseDownAlarmOptions {
  /** Holds undelivered alarms (channel settings included, mode 0600) across a restart. */
  file: string;
  /** Asks the database whether it answers. */
  probe(): Promise<{ reachable: boolean; error: string | null }>;
  /** Channels and rules as last read, while the database still answered. */
  targets(): { channels: readonly AlertChannelRecord[]; rules: readonly AlertRuleRecord[] };
  openChannel: OpenAlertChannel;
  log: Logger;
  /** Between probes and between delivery attempts. @default 5000 */
  intervalMs?: number;
  now?: () => Date;
}

/** What the file holds: whether an outage is in progress, and the alarms not yet delivered. */
interface SavedAlarms {
  down: boolean;
  alarms: PendingAlarm[];
}

/** One alarm still to deliver: the alert, where to, and where it already went. */
interface PendingAlarm {
  alert: Alert;
  channels: { id: number; name: string; config: Record<string, unknown> }[];
  delivered: number[];
}

/**
 * The "database down" alert, which cannot wait in a table of the database
 * that is down: when the probe first fails, one alert per enabled rule
 * selecting `database_down` is written to a local file and sent from memory
 * to that rule's channels (as last read), retried until each channel took
 * it; a worker restarted meanwhile resends what the file still holds. One
 * alarm per outage (the file also remembers that one is in progress): the
 * next one needs the database to have answered again.
 *
 * @example
 * ```ts
 * import type { DatabaseDownAlarmOptions } from "./database_down_alarm.ts";
 * import { DatabaseDownAlarm } from "./database_down_alarm.ts";
 * declare const options: DatabaseDownAlarmOptions;
 * await using alarm = new DatabaseDownAlarm(options);
 * await alarm.start();
 * ```
 */
export class DatabaseDownAlarm implements AsyncDisposable {
  readonly #options: DatabaseDownAlarmOptions;
  readonly #stop = new AbortController();
  #pending: PendingAlarm[] = [];
  #down = false;
  #raised = 0;
  #loop: Promise<void> | null = null;

  constructor(options: DatabaseDownAlarmOptions) {
    this.#options = options;
  }

  /** Reads what a previous run left (an outage in progress, undelivered alarms), then probes on a timer. */
  async start(): Promise<void> {
    try {
      const saved: SavedAlarms = JSON.parse(await Deno.readTextFile(this.#options.file));
      this.#down = saved.down;
      this.#pending = saved.alarms;
      this.#options.log.info("database alarm state found", {
        down: saved.down,
        alarms: saved.alarms.length,
      });
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    this.#loop = this.#run();
  }

  /** Whether the last probe found the database down, and alarms raised so far. */
  stats(): { database_down: boolean; database_alarms: number; database_alarms_pending: number } {
    return {
      database_down: this.#down,
      database_alarms: this.#raised,
      database_alarms_pending: this.#pending.length,
    };
  }

  async close(): Promise<void> {
    this.#stop.abort();
    await this.#loop;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #run(): Promise<void> {
    const { log } = this.#options;
    while (!this.#stop.signal.aborted) {
      try {
        const status = await this.#options.probe();
        if (!status.reachable && !this.#down) await this.#raise(status.error ?? "no answer");
        if (status.reachable && this.#down) {
          log.info("database answers again");
          this.#down = false;
          await this.#save();
        }
        await this.#deliver();
      } catch (e) {
        log.error("database alarm failed", { error: e instanceof Error ? e.message : String(e) });
      }
      await abortableSleep(this.#options.intervalMs ?? 5000, this.#stop.signal);
    }
  }

  async #raise(error: string): Promise<void> {
    const { channels, rules } = this.#options.targets();
    const at = (this.#options.now?.() ?? new Date()).toISOString();
    for (const rule of rules) {
      if (!rule.enabled || !rule.events.includes("database_down")) continue;
      const targets = channels.filter((c) => c.enabled && rule.channel_ids.includes(c.id));
      if (!targets.length) continue;
      this.#pending.push({
        alert: {
          id: crypto.randomUUID(),
          kind: "database_down",
          severity: rule.severity as Alert["severity"],
          occurred_at: at,
          title: "Database unreachable",
          summary: `The alerts worker cannot reach the database: ${error}`,
          reason: error,
          suppressed_count: 0,
          rule: rule.name,
        },
        channels: targets.map((c) => ({ id: c.id, name: c.name, config: c.config })),
        delivered: [],
      });
      this.#raised++;
    }
    this.#down = true;
    this.#options.log.error("database unreachable; alarm raised", { error });
    await this.#save();
  }

  async #deliver(): Promise<void> {
    if (!this.#pending.length) return;
    let changed = false;
    for (const alarm of this.#pending) {
      for (const target of alarm.channels) {
        if (alarm.delivered.includes(target.id) || this.#stop.signal.aborted) continue;
        const channel = this.#options.openChannel(parseChannelConfig(target.config));
        try {
          await channel.send(alarm.alert, this.#stop.signal);
          alarm.delivered.push(target.id);
          changed = true;
          this.#options.log.info("database alarm delivered", { channel: target.name });
        } catch (e) {
          this.#options.log.warn("database alarm not delivered", {
            channel: target.name,
            error: e instanceof Error ? e.message : String(e),
          });
        } finally {
          await channel.close().catch(() => {});
        }
      }
    }
    this.#pending = this.#pending.filter((a) => a.delivered.length < a.channels.length);
    if (changed) await this.#save();
  }

  async #save(): Promise<void> {
    const { file } = this.#options;
    if (!this.#down && !this.#pending.length) {
      await Deno.remove(file).catch((e) => {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      });
      return;
    }
    await Deno.mkdir(dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.tmp`;
    using f = await Deno.open(tmp, { write: true, create: true, truncate: true, mode: 0o600 });
    const saved: SavedAlarms = { down: this.#down, alarms: this.#pending };
    const data = new TextEncoder().encode(JSON.stringify(saved));
    for (let written = 0; written < data.length;) {
      written += await f.write(data.subarray(written));
    }
    await f.sync();
    await Deno.rename(tmp, file);
  }
}
