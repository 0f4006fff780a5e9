import type { Bus, CanaryEventPayload } from "../core/bus/mod.ts";
import { canaryTopic } from "../core/bus/mod.ts";
import type { CanaryRepository, CanaryTokenRow } from "../core/db/mod.ts";
import type { ActiveToken, TriggerRecord, TriggerSink } from "./receiver/mod.ts";

/**
 * The receiver's {@linkcode TriggerSink} over the canary repository: the
 * database write comes first (source of truth), then one best-effort
 * `canary.<token>.triggered` per trigger.
 *
 * @example
 * ```ts
 * const sink = new RepositoryTriggerSink(repos.canary, bus);
 * await startCanaryListeners(config, { sink, log });
 * ```
 */
export class RepositoryTriggerSink implements TriggerSink {
  readonly #canary: CanaryRepository;
  readonly #bus: Bus;

  constructor(canary: CanaryRepository, bus: Bus) {
    this.#canary = canary;
    this.#bus = bus;
  }

  async findActiveBySlug(slug: string): Promise<ActiveToken | null> {
    return toActive(await this.#canary.findActiveBySlug(slug));
  }

  async findActiveBySlugLc(slugLc: string): Promise<ActiveToken | null> {
    return toActive(await this.#canary.findActiveBySlugLc(slugLc));
  }

  async recordTrigger(trigger: TriggerRecord): Promise<void> {
    await this.#canary.recordTrigger(trigger);
    this.#publish(trigger);
  }

  async recordTriggers(triggers: TriggerRecord[]): Promise<void> {
    await this.#canary.recordTriggers(triggers);
    for (const t of triggers) this.#publish(t);
  }

  #publish(trigger: TriggerRecord): void {
    const payload: CanaryEventPayload = {
      token_uuid: trigger.tokenUuid,
      event: "triggered",
      at: trigger.occurredAt.toISOString(),
      channel: trigger.dnsQname !== null ? "dns" : "http",
      source_ip: trigger.srcIp,
    };
    this.#bus.publish(canaryTopic(trigger.tokenUuid, "triggered"), payload);
  }
}

function toActive(row: CanaryTokenRow | undefined): ActiveToken | null {
  return row ? { uuid: row.uuid, callbackToken: row.callback_token } : null;
}
