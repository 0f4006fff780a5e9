import type { Bus, CanaryEventPayload } from "../core/bus/mod.ts";
import { canaryTopic } from "../core/bus/mod.ts";
import type { CanaryRepository, CanaryTokenRow, RecordedTriggers } from "../core/db/mod.ts";
import type { ActiveToken, TriggerRecord, TriggerSink } from "./receiver/mod.ts";

/**
 * The receiver's {@linkcode TriggerSink} over the canary repository: the
 * database write comes first (source of truth), then one best-effort
 * `canary.<token>.triggered` per row written: each trigger stored on its own,
 * and each rollup row created or grown (with its total hits), so a live view
 * shows the rows a reload shows.
 *
 * @example
 * ```ts
 * import type { Bus } from "../core/bus/base.ts";
 * import type { Config } from "../core/config/config.ts";
 * import type { Logger } from "../core/log/logger.ts";
 * import type { Repositories } from "../core/db/repositories.ts";
 * import { RepositoryTriggerSink } from "./repository_trigger_sink.ts";
 * import { startCanaryListeners } from "./receiver/start_canary_listeners.ts";
 * declare const bus: Bus;
 * declare const config: Config;
 * declare const log: Logger;
 * declare const repos: Repositories;
 * const sink = new RepositoryTriggerSink(repos.canary, bus);
 * await startCanaryListeners(config, { sink, log });
 * ```
 */
export class RepositoryTriggerSink implements TriggerSink {
  readonly #canary: CanaryRepository;
  readonly #bus: Bus;
  // What the event names besides the token (its kind and decky), from the lookup that found it.
  readonly #seen = new Map<string, { kind: string; decky: string | null }>();

  constructor(canary: CanaryRepository, bus: Bus) {
    this.#canary = canary;
    this.#bus = bus;
  }

  async findActiveBySlug(slug: string): Promise<ActiveToken | null> {
    return this.#remember(await this.#canary.findActiveBySlug(slug));
  }

  async findActiveBySlugLc(slugLc: string): Promise<ActiveToken | null> {
    return this.#remember(await this.#canary.findActiveBySlugLc(slugLc));
  }

  #remember(row: CanaryTokenRow | undefined): ActiveToken | null {
    if (!row) return null;
    // Bounded: tokens are few, but an attacker-driven lookup must not grow memory without end.
    if (this.#seen.size >= 10_000) this.#seen.clear();
    this.#seen.set(row.uuid, { kind: row.kind, decky: row.decky_name });
    return { uuid: row.uuid, callbackToken: row.callback_token };
  }

  async recordTrigger(trigger: TriggerRecord): Promise<void> {
    this.#publish(await this.#canary.recordTrigger(trigger));
  }

  async recordTriggers(triggers: TriggerRecord[]): Promise<void> {
    this.#publish(await this.#canary.recordTriggers(triggers));
  }

  // One event per row written: a flood folded into a rollup row is one event per batch, not per hit.
  #publish(recorded: RecordedTriggers): void {
    for (const t of recorded.stored) this.#publishOne(t, {});
    for (const r of recorded.rollups) {
      this.#publishOne({ ...r.sample, occurredAt: new Date(r.firstAt), srcIp: r.srcIp }, {
        rollup: r.scope,
        hits: r.hits,
        last_at: r.lastAt,
      });
    }
  }

  #publishOne(trigger: TriggerRecord, extra: Partial<CanaryEventPayload>): void {
    const token = this.#seen.get(trigger.tokenUuid);
    const detail = trigger.dnsQname ??
      [trigger.method, trigger.requestPath].filter((p) => p).join(" ");
    const payload: CanaryEventPayload = {
      token_uuid: trigger.tokenUuid,
      event: "triggered",
      at: trigger.occurredAt.toISOString(),
      channel: trigger.dnsQname !== null ? "dns" : "http",
      source_ip: trigger.srcIp,
      detail,
      ...(token ? { kind: token.kind, ...(token.decky ? { decky: token.decky } : {}) } : {}),
      ...(trigger.userAgent ? { user_agent: trigger.userAgent } : {}),
      ...extra,
    };
    this.#bus.publish(canaryTopic(trigger.tokenUuid, "triggered"), payload);
  }
}
