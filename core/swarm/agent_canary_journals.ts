import type { CanaryJournalStore } from "../attackers/canary_journal_ingest.ts";
import type {
  ActiveTokenSummary,
  JournalPosition,
  RecordedTriggers,
  TriggerInput,
} from "../db/mod.ts";
import { JournalCursorMovedError } from "../db/mod.ts";
import { encodeTriggerRecord } from "../journal/mod.ts";
import type { AgentBatchOutbox } from "./agent_batch_outbox.ts";

/** Kind of the agent event holding one batch of the canary trigger journal. */
export const CANARY_BATCH_KIND = "canary_batch";

const START: JournalPosition = { segment: 0, offset: 0 };

/**
 * The canary journal ingest's repository on a swarm agent, which holds no
 * database: each batch goes to JetStream as one `canary_batch` event (its
 * triggers as journal records), and the cursor moves once JetStream has
 * it; the master stores the triggers. Active tokens come from `tokens`.
 *
 * @example
 * ```ts
 * import type { AgentBatchOutbox } from "./agent_batch_outbox.ts";
 * import { AgentCanaryJournals } from "./agent_canary_journals.ts";
 * declare const outbox: AgentBatchOutbox;
 * const journals = new AgentCanaryJournals(outbox, { activeTokens: async () => [] });
 * await journals.cursor("canary@local"); // { segment: 0, offset: 0 } at first
 * ```
 */
export class AgentCanaryJournals implements CanaryJournalStore {
  readonly #outbox: AgentBatchOutbox;
  readonly #tokens: { activeTokens(): Promise<ActiveTokenSummary[]> };

  constructor(
    outbox: AgentBatchOutbox,
    tokens: { activeTokens(): Promise<ActiveTokenSummary[]> },
  ) {
    this.#outbox = outbox;
    this.#tokens = tokens;
  }

  cursor(journal: string): Promise<JournalPosition> {
    return this.#outbox.cursor(journal, START);
  }

  activeTokens(): Promise<ActiveTokenSummary[]> {
    return this.#tokens.activeTokens();
  }

  /**
   * Sends the batch (`ends`: where each trigger's record ends); stores nothing
   * here (the master publishes what it stores).
   *
   * @throws {JournalCursorMovedError} when the cursor is not at `from`
   */
  async ingest(
    journal: string,
    from: JournalPosition,
    to: JournalPosition,
    triggers: TriggerInput[],
    ends: readonly JournalPosition[] = [],
  ): Promise<RecordedTriggers & { forwarded: number }> {
    await this.#outbox.send({
      key: journal,
      kind: CANARY_BATCH_KIND,
      from,
      to,
      fields: {
        triggers: triggers.map(encodeTriggerRecord),
        // Where each trigger's record ends: the master can take the batch up from the middle.
        ends: ends.map((e) => ({ segment: e.segment, offset: e.offset })),
      },
      moved: () => new JournalCursorMovedError(journal, from),
    }, START);
    return { stored: [], rollups: [], forwarded: triggers.length };
  }
}
