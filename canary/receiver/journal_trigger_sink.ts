import type { ActiveTokenSummary } from "../../core/db/mod.ts";
import { encodeTriggerRecord, type JournalWriter } from "../../core/journal/mod.ts";
import type { ActiveToken, TriggerRecord, TriggerSink } from "./trigger_sink.ts";

/** Where {@linkcode JournalTriggerSink} finds tokens. */
export interface ActiveTokenIndex {
  bySlug(slug: string): ActiveTokenSummary | undefined;
  bySlugLc(slugLc: string): ActiveTokenSummary | undefined;
}

/**
 * The canary worker's {@linkcode TriggerSink}: slugs are looked up in the
 * active tokens snapshot, and each trigger is appended to the fsync'd
 * journal, resolving once it is durable there (the collector stores it in
 * the database and publishes the event). A trigger lost to a full journal
 * is counted by the journal and does not fail the answer.
 *
 * @example
 * ```ts
 * import type { Config } from "../../core/config/config.ts";
 * import type { JournalWriter } from "../../core/journal/journal_writer.ts";
 * import type { Logger } from "../../core/log/logger.ts";
 * import type { ActiveTokenSnapshot } from "./active_token_snapshot.ts";
 * import { JournalTriggerSink } from "./journal_trigger_sink.ts";
 * import { startCanaryListeners } from "./start_canary_listeners.ts";
 * declare const config: Config;
 * declare const journal: JournalWriter;
 * declare const log: Logger;
 * declare const snapshot: ActiveTokenSnapshot;
 * const sink = new JournalTriggerSink(journal, snapshot);
 * await startCanaryListeners(config, { sink, log });
 * ```
 */
export class JournalTriggerSink implements TriggerSink {
  readonly #journal: JournalWriter;
  readonly #tokens: ActiveTokenIndex;

  constructor(journal: JournalWriter, tokens: ActiveTokenIndex) {
    this.#journal = journal;
    this.#tokens = tokens;
  }

  findActiveBySlug(slug: string): Promise<ActiveToken | null> {
    return Promise.resolve(this.activeBySlug(slug));
  }

  activeBySlug(slug: string): ActiveToken | null {
    return toActive(this.#tokens.bySlug(slug));
  }

  findActiveBySlugLc(slugLc: string): Promise<ActiveToken | null> {
    return Promise.resolve(toActive(this.#tokens.bySlugLc(slugLc)));
  }

  recordTrigger(trigger: TriggerRecord): Promise<void> {
    return this.recordTriggers([trigger]);
  }

  async recordTriggers(triggers: TriggerRecord[]): Promise<void> {
    await this.#journal.append(triggers.map((t) => encodeTriggerRecord(t)));
  }

  settle(): Promise<void> {
    return this.#journal.settle();
  }
}

function toActive(token: ActiveTokenSummary | undefined): ActiveToken | null {
  return token ? { uuid: token.uuid, callbackToken: token.slug } : null;
}
